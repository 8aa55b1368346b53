import type { Job as BullJob } from 'bullmq';
import type { EventDraft, JobEventStream } from './event-stream';
import type { JobData } from './job-data';
import { JOB_LIMITS } from '@flightdeck/contract';
import { JobReporter, capLine } from './job-reporter';

/** A fake stream that records drafts; appends resolve after a tick, like a Redis round trip. */
function recordingStream() {
  const drafts: EventDraft[] = [];
  /** Each append's event types: what went to Redis together. */
  const appends: string[][] = [];
  const stream = {
    append: async (_workspaceId: string, batch: EventDraft[]) => {
      appends.push(batch.map((draft) => draft.type));
      await new Promise((resolve) => setImmediate(resolve));
      drafts.push(...batch);
      return batch.map((_, index) => drafts.length - batch.length + index + 1);
    },
  } as unknown as JobEventStream;
  return { drafts, appends, stream };
}

function fakeJob(): BullJob<JobData> {
  return {
    id: 'job-1',
    data: { workspaceId: 'ws-1', payload: {} },
    attemptsMade: 0,
    processedOn: Date.now(),
    updateProgress: jest.fn(async () => undefined),
    log: jest.fn(async () => 1),
  } as unknown as BullJob<JobData>;
}

describe('JobReporter', () => {
  it('coalesces a burst of progress into few events and keeps the latest value', async () => {
    const { drafts, stream } = recordingStream();
    const reporter = new JobReporter(fakeJob(), stream, 50, (error) => {
      throw error;
    });
    await reporter.active();
    for (let percent = 1; percent <= 100; percent++) reporter.progress(percent);
    await new Promise((resolve) => setTimeout(resolve, 120));
    await reporter.settled();
    const progress = drafts.filter((draft) => draft.type === 'job.progress');
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress.length).toBeLessThanOrEqual(2);
    expect(progress.at(-1)?.job.progress).toBe(100);
  });

  it('flushes pending logs before the final event, in the same append; completion supersedes pending progress', async () => {
    const { drafts, appends, stream } = recordingStream();
    const job = fakeJob();
    const reporter = new JobReporter(job, stream, 10_000, (error) => {
      throw error;
    });
    await reporter.active();
    reporter.progress(40);
    reporter.log('first line');
    reporter.log('second line');
    await reporter.completed({ ok: true });
    expect(drafts.map((draft) => draft.type)).toEqual(['job.active', 'job.log', 'job.completed']);
    // One round trip for the end: nothing pending can land after the final event.
    expect(appends).toEqual([['job.active'], ['job.log', 'job.completed']]);
    expect(drafts[1]?.lines).toEqual(['first line', 'second line']);
    expect(drafts[2]?.job).toMatchObject({ status: 'completed', progress: 100, result: { ok: true } });
  });

  it('sends pending progress before a failure, which does not carry progress', async () => {
    const { drafts, stream } = recordingStream();
    const job = fakeJob();
    const reporter = new JobReporter(job, stream, 10_000, (error) => {
      throw error;
    });
    reporter.progress(40);
    await reporter.failed('boom', Promise.resolve('failed'));
    expect(drafts.map((draft) => [draft.type, draft.job.progress])).toEqual([
      ['job.progress', 40],
      ['job.failed', undefined],
    ]);
    // A handler that goes on after its attempt ended reports nothing more: the final event stays last.
    reporter.progress(90);
    reporter.log('too late');
    reporter.flush();
    await reporter.settled();
    expect(drafts.at(-1)?.type).toBe('job.failed');
    // The events are the only record of progress and logs: BullMQ's copies (a script call each) are not written.
    expect(job.updateProgress).not.toHaveBeenCalled();
    expect(job.log).not.toHaveBeenCalled();
  });

  it('reports a retry as queued or delayed and only the last failure as failed', async () => {
    const { drafts, stream } = recordingStream();
    const reporter = new JobReporter(fakeJob(), stream, 10, (error) => {
      throw error;
    });
    await reporter.failed('boom', 'delayed');
    await reporter.failed('boom', 'failed');
    expect(drafts.map((draft) => [draft.type, draft.job.status])).toEqual([
      ['job.retrying', 'delayed'],
      ['job.failed', 'failed'],
    ]);
    expect(drafts[1]?.job.error).toEqual({ message: 'boom' });
  });

  it("guards an attempt's progress, logs and end by the attempt's number, not its announcement", async () => {
    const { drafts, stream } = recordingStream();
    const job = fakeJob();
    (job as { attemptsMade: number }).attemptsMade = 2;
    const reporter = new JobReporter(job, stream, 10_000, (error) => {
      throw error;
    });
    await reporter.active();
    reporter.progress(30);
    reporter.flush();
    reporter.log('pending at the end');
    // BullMQ counts the attempt when it ends it, before the worker reports the end.
    (job as { attemptsMade: number }).attemptsMade = 3;
    await reporter.completed(null);
    expect(drafts.map((draft) => [draft.type, draft.job?.attemptsMade, draft.job ? draft.attempt : undefined])).toEqual(
      [
        ['job.active', 2, undefined],
        ['job.progress', undefined, 3],
        ['job.log', undefined, 3],
        ['job.completed', 3, 3],
      ],
    );
  });

  it('clamps progress to 0–100', async () => {
    const { drafts, stream } = recordingStream();
    const reporter = new JobReporter(fakeJob(), stream, 0, (error) => {
      throw error;
    });
    reporter.progress(250);
    reporter.flush();
    await reporter.settled();
    expect(drafts[0]?.job.progress).toBe(100);
  });

  it('cuts an oversized log line to the cap, marked, before it is appended', async () => {
    const { drafts, stream } = recordingStream();
    const job = fakeJob();
    const reporter = new JobReporter(job, stream, 10_000, (error) => {
      throw error;
    });
    reporter.log('x'.repeat(JOB_LIMITS.maxLogLineLength * 4));
    reporter.log('short');
    await reporter.completed(null);
    const [long, short] = drafts.find((draft) => draft.type === 'job.log')!.lines!;
    expect(long!.length).toBeLessThanOrEqual(JOB_LIMITS.maxLogLineLength);
    expect(long!.endsWith('[truncated]')).toBe(true);
    expect(short).toBe('short');
  });

  it('never splits a surrogate pair when cutting', () => {
    const line = 'a' + '😀'.repeat(JOB_LIMITS.maxLogLineLength);
    const capped = capLine(line);
    expect(capped.length).toBeLessThanOrEqual(JOB_LIMITS.maxLogLineLength);
    expect(capped).toMatch(/^a(😀)+… \[truncated\]$/u);
    expect(capLine('fits')).toBe('fits');
  });
});
