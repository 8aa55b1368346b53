import pino from 'pino';
import { jobArtifacts, type ArtifactStore } from '../../src/artifact-store';
import type { JobContext } from '../../src/job-type';
import { OutboundGuard } from '../../src/outbound/outbound-guard';

/**
 * A job context for unit tests of handlers: records progress and log lines, aborts with `signal`,
 * reaches artifacts through `store` (none by default) as job `job-1` of workspace `w1`.
 */
export function fakeJobContext(options: { signal?: AbortSignal; store?: ArtifactStore } = {}) {
  const progress: number[] = [];
  const lines: string[] = [];
  const ctx: JobContext = {
    jobId: 'job-1',
    attempt: 1,
    signal: options.signal ?? new AbortController().signal,
    progress: (percent) => progress.push(percent),
    log: (line) => lines.push(line),
    logger: pino({ level: 'silent' }),
    outbound: new OutboundGuard(),
    artifacts: jobArtifacts(options.store, 'w1', 'job-1'),
  };
  return { ctx, progress, lines };
}
