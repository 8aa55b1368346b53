/**
 * Summarizes a V8 `.cpuprofile` (from `npm run bench -- --cpu-prof <dir>`): where a server spent its
 * CPU, by package or source file (self time) and by function (self and inclusive time).
 *   node perf/dist/cpu-profile-summary.js <file.cpuprofile> [--top 25] [--from <ms> --to <ms>]
 * `--from`/`--to` keep only samples in that window, in ms after the profile started: the bench reports
 * each profiled phase's measured window as `profileWindowMs`.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** `express`, `@scope/pkg`, `backend/api/authenticate.js`, `node:internal/...`, or a V8 pseudo-frame like `(garbage collector)`. */
function categoryOf(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inModules) return inModules[1]!;
  const ours = /\/(contract|workers|backend|perf)\/dist\/(.+)$/.exec(url);
  if (ours) return `${ours[1]}/${ours[2]}`;
  if (url.startsWith('node:')) return url.replace(/^node:internal\/(deps\/)?/, 'node:').replace(/\/.*$/, '');
  return url;
}

const frameName = (node: ProfileNode) =>
  `${node.callFrame.functionName || '(anonymous)'} ${categoryOf(node)}:${node.callFrame.lineNumber + 1}`;

function summarize(profile: CpuProfile, top: number, window: { from: number; to: number }) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const selfByCategory = new Map<string, number>();
  const selfByFrame = new Map<string, number>();
  const inclusiveByFrame = new Map<string, number>();
  let total = 0;
  let idle = 0;
  let at = 0;
  profile.samples.forEach((sampleId, index) => {
    const micros = profile.timeDeltas[index] ?? 0;
    at += micros;
    const node = byId.get(sampleId);
    if (!node || at < window.from * 1000 || at > window.to * 1000) return;
    total += micros;
    if (node.callFrame.functionName === '(idle)') {
      idle += micros;
      return;
    }
    const category = categoryOf(node);
    selfByCategory.set(category, (selfByCategory.get(category) ?? 0) + micros);
    selfByFrame.set(frameName(node), (selfByFrame.get(frameName(node)) ?? 0) + micros);
    const onStack = new Set<string>();
    for (let id: number | undefined = sampleId; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)!;
      if (frame.callFrame.functionName !== '(root)') onStack.add(frameName(frame));
    }
    for (const name of onStack) inclusiveByFrame.set(name, (inclusiveByFrame.get(name) ?? 0) + micros);
  });

  const busy = total - idle;
  const table = (entries: Map<string, number>) =>
    [...entries]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => ({
        name,
        ms: Math.round(micros / 1000),
        percentOfBusy: +((micros / busy) * 100).toFixed(1),
      }));
  return {
    profiledMs: Math.round(total / 1000),
    busyMs: Math.round(busy / 1000),
    idlePercent: +((idle / total) * 100).toFixed(1),
    selfByPackageOrFile: table(selfByCategory),
    selfByFunction: table(selfByFrame),
    inclusiveByFunction: table(inclusiveByFrame),
  };
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } },
});
if (positionals.length === 0) {
  console.error('usage: node perf/dist/cpu-profile-summary.js <file.cpuprofile> [--top 25] [--from <ms> --to <ms>]');
  process.exit(2);
}
const window = { from: Number(values.from ?? 0), to: Number(values.to ?? Infinity) };
for (const file of positionals) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  console.log(JSON.stringify({ file, window, ...summarize(profile, Number(values.top ?? 25), window) }, null, 2));
}
