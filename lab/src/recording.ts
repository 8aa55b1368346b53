import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, RUN } from './lab-env';
import type { PodEvent } from './pod-agent';
import type { Sample } from './sampler';

// What a scenario run leaves: its samples (one a second), the pods' lifecycle events in its window,
// and its summary (figures against targets). Saved as docs/scaling-report/<scenario>.json, from which
// the report's charts and tables are rendered.

export interface Recording {
  scenario: string;
  title: string;
  startedAt: string;
  samples: Sample[];
  podEvents: PodEvent[];
  summary: Record<string, unknown>;
}

export const REPORT_DIR = path.join(REPO_ROOT, 'docs', 'scaling-report');

/** The pod events since `since` (ISO time), from the agent's log. */
export function podEventsSince(since: string): PodEvent[] {
  const file = path.join(RUN, 'pod-events.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as PodEvent)
    .filter((event) => event.at >= since);
}

export function saveRecording(recording: Recording): string {
  mkdirSync(REPORT_DIR, { recursive: true });
  const file = path.join(REPORT_DIR, `${recording.scenario}.json`);
  writeFileSync(file, `${JSON.stringify(recording, null, 1)}\n`);
  return file;
}
