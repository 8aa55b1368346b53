import type { JobStatus } from '@flightdeck/contract';
import { buildJob } from '../../test/support/job-factory';
import { chunks, confirmationOf, planBulk, summaryOf, undoOf, undoableNow, type BulkResult } from './bulk-actions';

const ok = (id: string, status: JobStatus = 'queued'): BulkResult => ({ id, ok: true, job: buildJob({ id, status }) });
const refused = (id: string, code: string): BulkResult => ({ id, ok: false, error: { code, message: code } });

describe('planBulk and its confirmation', () => {
  it('counts the jobs the action applies to, and the states that do not apply', () => {
    const jobs = [
      buildJob({ status: 'failed' }),
      buildJob({ status: 'cancelled' }),
      buildJob({ status: 'active' }),
      buildJob({ status: 'completed' }),
      buildJob({ status: 'active' }),
    ];
    const plan = planBulk('retry', jobs);
    expect(plan.applicable.map((job) => job.status)).toEqual(['failed', 'cancelled']);
    expect(plan.skipped).toEqual([
      { status: 'active', count: 2 },
      { status: 'completed', count: 1 },
    ]);
    expect(confirmationOf(plan)).toEqual({
      heading: 'Retry 2 jobs?',
      message:
        'They run again from the start. 3 selected jobs are left as they are (2 active, 1 completed): only failed or cancelled jobs can be retried.',
      confirmLabel: 'Retry 2 jobs',
    });
  });

  it('says what a cancel does to waiting and to running jobs', () => {
    expect(confirmationOf(planBulk('cancel', [buildJob({ status: 'queued' })])).message).toBe('It will not run.');
    const mixed = confirmationOf(planBulk('cancel', [buildJob({ status: 'active' }), buildJob({ status: 'failed' })]));
    expect(mixed.heading).toBe('Cancel 1 job?');
    expect(mixed.message).toBe(
      'Queued and delayed jobs will not run; running ones are told to stop. 1 selected job is left as it is (1 failed): only queued, delayed or active jobs can be cancelled.',
    );
  });
});

describe('summaryOf', () => {
  it('counts what was done and why the rest was not', () => {
    expect(summaryOf('retry', [ok('a'), ok('b'), refused('c', 'job_not_retryable')])).toBe(
      '2 retried, 1 not retryable',
    );
    expect(
      summaryOf('cancel', [refused('a', 'job_not_cancellable'), refused('b', 'not_found'), refused('c', 'boom')]),
    ).toBe('0 cancelled, 1 not cancellable, 1 not found, 1 failed');
  });
});

describe('undo', () => {
  it('retries cancelled jobs that were waiting, not the ones that were running', () => {
    const before = new Map<string, JobStatus>([
      ['a', 'queued'],
      ['b', 'delayed'],
      ['c', 'active'],
    ]);
    expect(undoOf('cancel', [ok('a', 'cancelled'), ok('b', 'cancelled'), ok('c', 'cancelled')], before)).toEqual({
      action: 'retry',
      ids: ['a', 'b'],
    });
    expect(undoOf('cancel', [ok('c', 'cancelled')], before)).toBeNull();
  });

  it('cancels retried jobs that are still waiting when undone', () => {
    const undo = undoOf('retry', [ok('a'), ok('b'), refused('c', 'job_not_retryable')], new Map())!;
    expect(undo).toEqual({ action: 'cancel', ids: ['a', 'b'] });
    const now: Record<string, JobStatus> = { a: 'queued', b: 'active' };
    expect(undoableNow(undo, (id) => now[id])).toEqual(['a']);
  });
});

it('chunks ids to the server limit', () => {
  expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  expect(chunks(Array.from({ length: 401 }, (_, i) => i)).map((chunk) => chunk.length)).toEqual([200, 200, 1]);
});
