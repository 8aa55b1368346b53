import { startLab } from './lab';
import { RUN } from './lab-env';

// `npm run lab -- <command>`: see docs/scaling-lab.md.
//   up              bring the lab up and keep it up until Ctrl-C (then tear everything down)
//   run <scenario…> bring it up, run the scenarios (or `all`), record them, tear down

const usage = 'usage: npm run lab -- up | run <scenario…|all>';

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command !== 'up' && command !== 'run') throw new Error(usage);
  const lab = await startLab();
  let stopping: Promise<void> | undefined;
  const shutdown = () => (stopping ??= lab.stop());
  process.once('SIGINT', () => void shutdown().then(() => process.exit(130)));
  process.once('SIGTERM', () => void shutdown().then(() => process.exit(143)));
  if (command === 'up') {
    process.stderr.write(
      `[lab] up: ${lab.url} (API key ${lab.apiKey}); logs and pod events in ${RUN}; Ctrl-C tears it down\n`,
    );
    await new Promise(() => undefined);
  }
  process.stderr.write(`[lab] scenarios ${rest.join(' ')}: not yet\n`);
  await shutdown();
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`[lab] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
