import type { Lab } from '../lab';
import { Observer } from '../observer';
import { podEventsSince, saveRecording, type Recording } from '../recording';
import { Sampler } from '../sampler';

/** What a scenario gets while it runs: the lab, a subscribed observer, and the 1 s sampler. */
export interface ScenarioContext {
  lab: Lab;
  observer: Observer;
  sampler: Sampler;
  /** Seconds since the scenario started. */
  elapsed(): number;
  log(message: string): void;
}

export interface Scenario {
  name: string;
  title: string;
  /** Runs the load and returns the summary; the harness adds samples, pod events and the observer's checks. */
  run(context: ScenarioContext): Promise<Record<string, unknown>>;
}

export async function runScenario(lab: Lab, scenario: Scenario): Promise<Recording> {
  const log = (message: string) => process.stderr.write(`[lab:${scenario.name}] ${message}\n`);
  const observer = new Observer(lab.url, lab.apiKey);
  await observer.start();
  const sampler = new Sampler(lab.agent, () => observer.ended());
  const startedAt = new Date().toISOString();
  const t0 = Date.now();
  sampler.start();
  let summary: Record<string, unknown>;
  try {
    summary = await scenario.run({ lab, observer, sampler, elapsed: () => (Date.now() - t0) / 1000, log });
  } catch (error) {
    // Recorded all the same: the samples up to the failure are what explains it.
    log(`failed: ${error instanceof Error ? error.message : String(error)}`);
    summary = { error: error instanceof Error ? error.message : String(error), checks: { finished: false } };
  } finally {
    sampler.stop();
  }
  const stream = observer.stop();
  const podEvents = podEventsSince(startedAt);
  // A pod SIGKILLed at the end of its grace period had work it could not finish or hand back.
  const sigkilled: Record<string, number> = {};
  for (const event of podEvents)
    if (event.event === 'sigkill') sigkilled[event.component] = (sigkilled[event.component] ?? 0) + 1;
  const recording: Recording = {
    scenario: scenario.name,
    title: scenario.title,
    startedAt,
    samples: sampler.samples,
    podEvents,
    summary: { ...summary, stream, podsSigkilled: sigkilled },
  };
  // What must hold in every scenario, whatever the timings: the subscribed client saw every event
  // once, and no worker was killed with work in hand.
  recording.summary.checks = {
    ...((summary.checks as Record<string, boolean> | undefined) ?? {}),
    noEventMissed: stream.gaps === 0,
    noEventDoubled: stream.duplicates === 0,
    noWorkerSigkilled: (sigkilled.worker ?? 0) + (sigkilled['worker-image'] ?? 0) === 0,
  };
  log(`saved ${saveRecording(recording)}`);
  log(JSON.stringify(recording.summary));
  return recording;
}

/** The names of the checks a recording failed. */
export function failedChecks(recording: Recording): string[] {
  const checks = (recording.summary.checks ?? {}) as Record<string, boolean>;
  return Object.entries(checks).flatMap(([name, passed]) => (passed ? [] : [`${recording.scenario}: ${name}`]));
}
