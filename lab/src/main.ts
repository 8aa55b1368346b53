import { parseArgs } from 'node:util';
import { getJson } from './kubectl';
import { startLab } from './lab';
import { NAMESPACE, RUN } from './lab-env';
import { burst } from './scenarios/burst';
import { connections } from './scenarios/connections';
import { diurnal, steady } from './scenarios/load-shapes';
import { scaleToZero } from './scenarios/scale-to-zero';
import { renderReport } from './report/render-report';
import { failedChecks, runScenario, type Scenario } from './scenarios/scenario';

// `npm run lab -- <command>`: see docs/scaling-lab.md.
//   up                 bring the lab up and keep it up until Ctrl-C (then tear everything down)
//   run <scenario…>    for each scenario in order (or `all`): bring the lab up, run it, record it, tear down
//     --jobs <n>       the burst's size (default 20000)
//   report             redraw docs/scaling-report.md's tables and charts from the recordings

const SCENARIOS = ['scale-to-zero', 'burst', 'steady', 'diurnal', 'connections'] as const;
const usage = `usage: npm run lab -- up | run <${SCENARIOS.join('|')}|all>… [--jobs n] | report`;

async function scaledObject(
  name: string,
): Promise<{ minReplicaCount?: number; maxReplicaCount: number; cooldownPeriod?: number }> {
  return (
    await getJson<{ spec: { minReplicaCount?: number; maxReplicaCount: number; cooldownPeriod?: number } }>(
      '-n',
      NAMESPACE,
      'scaledobject',
      name,
    )
  ).spec;
}

async function scenario(name: string, options: { jobs: number }): Promise<Scenario> {
  switch (name) {
    case 'scale-to-zero': {
      // Retries come due two minutes after KEDA has had time to scale the workers back to zero.
      const cooldown = (await scaledObject('flightdeck-worker')).cooldownPeriod ?? 300;
      return scaleToZero({ dueInSeconds: 45, retryBackoffSeconds: cooldown + 120, jobs: 10 });
    }
    case 'burst':
      return burst({
        jobs: options.jobs,
        jobMs: 2000,
        maxWorkers: (await scaledObject('flightdeck-worker')).maxReplicaCount,
      });
    case 'steady':
      return steady();
    case 'diurnal':
      return diurnal();
    case 'connections':
      return connections({
        sockets: 10_000,
        holdSeconds: 180,
        observers: 40,
        minGateways: (await scaledObject('flightdeck-gateway')).minReplicaCount ?? 1,
      });
    default:
      throw new Error(`unknown scenario "${name}"; ${usage}`);
  }
}

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { jobs: { type: 'string', default: '20000' } },
  });
  const [command, ...names] = positionals;
  if (command === 'report') return renderReport();
  if (command !== 'up' && command !== 'run') throw new Error(usage);
  const selected = names.includes('all') ? [...SCENARIOS] : names;
  if (command === 'run' && selected.length === 0) throw new Error(usage);
  const failed: string[] = [];
  const options = { jobs: Number(values.jobs) };
  // Each scenario on a fresh lab: its own empty cluster, queues and streams, so runs do not depend
  // on what the one before left (workers still up, a cooldown running).
  for (const name of command === 'up' ? ['up'] : selected) {
    const lab = await startLab();
    let stopping: Promise<void> | undefined;
    const shutdown = () => (stopping ??= lab.stop());
    const onSignal = (code: number) => () => void shutdown().then(() => process.exit(code));
    process.once('SIGINT', onSignal(130));
    process.once('SIGTERM', onSignal(143));
    try {
      if (command === 'up') {
        process.stderr.write(
          `[lab] up: ${lab.url} (API key ${lab.apiKey}); logs and pod events in ${RUN}; Ctrl-C tears it down\n`,
        );
        await new Promise(() => undefined);
      }
      failed.push(...failedChecks(await runScenario(lab, await scenario(name, options))));
    } finally {
      await shutdown();
      process.removeAllListeners('SIGINT');
      process.removeAllListeners('SIGTERM');
    }
  }
  await renderReport();
  const failedScenarios = new Set(failed.map((check) => check.split(':')[0]));
  process.stdout.write(`lab: ${selected.length - failedScenarios.size} passed, ${failedScenarios.size} failed\n`);
  if (failed.length > 0) throw new Error(`checks failed: ${failed.join(', ')}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`[lab] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
