import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, RUN } from './lab-env';

// Runs one of the lab's Artillery scripts (lab/artillery/) against the load balancer, with the
// phases and variables a scenario gives, and returns Artillery's aggregate counters. Telemetry off:
// nothing in the lab calls out.

const ARTILLERY_BIN = path.join(path.dirname(require.resolve('artillery/package.json')), 'bin', 'run');

export interface ArtilleryRun {
  script: 'submit.yml' | 'sockets.yml';
  target: string;
  phases: { duration: number; arrivalCount?: number; arrivalRate?: number; rampTo?: number }[];
  variables: Record<string, string | number | boolean>;
  name: string;
}

export async function runArtillery(run: ArtilleryRun): Promise<Record<string, number>> {
  const output = path.join(RUN, `artillery-${run.name}.json`);
  const args = [
    ARTILLERY_BIN,
    'run',
    '--target',
    run.target,
    '--variables',
    JSON.stringify(run.variables),
    '--overrides',
    JSON.stringify({ config: { phases: run.phases } }),
    '--output',
    output,
    '--quiet',
    path.join(REPO_ROOT, 'lab', 'artillery', run.script),
  ];
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: RUN, ARTILLERY_DISABLE_TELEMETRY: 'true' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`artillery ${run.name} exited with ${code}: ${stderr.trim()}`);
  const report = JSON.parse(readFileSync(output, 'utf8')) as { aggregate: { counters: Record<string, number> } };
  return report.aggregate.counters;
}
