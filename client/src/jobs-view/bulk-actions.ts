import { COLLABORATION_LIMITS, type Job, type JobStatus } from '@flightdeck/contract';

/**
 * Bulk retry and cancel of selected jobs: what applies to which state, what the confirmation says,
 * the summary of what the server did, and how to undo it. Pure; the bulk bar does the calls.
 */
export type BulkAction = 'retry' | 'cancel';

/** One job's outcome, as `POST /v1/jobs/bulk` answers it. */
export type BulkResult =
  { id: string; ok: true; job: Job } | { id: string; ok: false; error: { code: string; message: string } };

/** The states each action applies to (the server's rules: see JobService.retry / cancel). */
export const APPLIES_TO: Record<BulkAction, readonly JobStatus[]> = {
  retry: ['failed', 'cancelled'],
  cancel: ['queued', 'delayed', 'active'],
};

const VERBS: Record<BulkAction, { done: string; doing: string; button: string }> = {
  retry: { done: 'retried', doing: 'Retrying', button: 'Retry' },
  cancel: { done: 'cancelled', doing: 'Cancelling', button: 'Cancel' },
};

export const doneVerb = (action: BulkAction) => VERBS[action].done;
export const doingVerb = (action: BulkAction) => VERBS[action].doing;

export interface BulkPlan {
  action: BulkAction;
  /** The selected jobs the action applies to, as the console knows them. */
  applicable: readonly Job[];
  /** The others, counted by state. */
  skipped: readonly { status: JobStatus; count: number }[];
}

export function planBulk(action: BulkAction, jobs: readonly Job[]): BulkPlan {
  const applicable: Job[] = [];
  const skipped = new Map<JobStatus, number>();
  for (const job of jobs) {
    if (APPLIES_TO[action].includes(job.status)) applicable.push(job);
    else skipped.set(job.status, (skipped.get(job.status) ?? 0) + 1);
  }
  return { action, applicable, skipped: [...skipped].map(([status, count]) => ({ status, count })) };
}

export interface Confirmation {
  heading: string;
  message: string;
  confirmLabel: string;
}

/** What the person confirms: how many jobs, what happens to them, and which selected ones do not apply. */
export function confirmationOf(plan: BulkPlan): Confirmation {
  const count = plan.applicable.length;
  const jobs = countOf(count, 'job');
  const verb = VERBS[plan.action].button;
  const effect =
    plan.action === 'retry'
      ? `${count === 1 ? 'It runs' : 'They run'} again from the start.`
      : plan.applicable.some((job) => job.status === 'active')
        ? 'Queued and delayed jobs will not run; running ones are told to stop.'
        : `${count === 1 ? 'It' : 'They'} will not run.`;
  const skippedCount = plan.skipped.reduce((sum, entry) => sum + entry.count, 0);
  const skipped =
    skippedCount === 0
      ? ''
      : ` ${countOf(skippedCount, 'selected job')} ${skippedCount === 1 ? 'is' : 'are'} left as ${skippedCount === 1 ? 'it is' : 'they are'} (${plan.skipped
          .map((entry) => `${entry.count} ${entry.status}`)
          .join(', ')}): only ${listOr(APPLIES_TO[plan.action])} jobs can be ${VERBS[plan.action].done}.`;
  return { heading: `${verb} ${jobs}?`, message: `${effect}${skipped}`, confirmLabel: `${verb} ${jobs}` };
}

/** Why a job was not acted on, in a few words, by the server's error code. */
const FAILURE_WORDS: Record<string, string> = {
  job_not_retryable: 'not retryable',
  job_not_cancellable: 'not cancellable',
  not_found: 'not found',
  forbidden: 'not allowed',
};

/** "2 retried, 1 not retryable". */
export function summaryOf(action: BulkAction, results: readonly BulkResult[]): string {
  const done = results.filter((result) => result.ok).length;
  const failures = new Map<string, number>();
  for (const result of results) {
    if (result.ok) continue;
    const words = FAILURE_WORDS[result.error.code] ?? 'failed';
    failures.set(words, (failures.get(words) ?? 0) + 1);
  }
  const parts = [`${done} ${VERBS[action].done}`, ...[...failures].map(([words, count]) => `${count} ${words}`)];
  return parts.join(', ');
}

export interface UndoPlan {
  /** The action that undoes the bulk action. */
  action: BulkAction;
  ids: readonly string[];
}

/**
 * What undoes a bulk action, when anything can: a cancel of queued or delayed jobs is undone by
 * retrying them (running jobs that were stopped cannot be resumed); a retry by cancelling the jobs
 * that are still waiting (see {@link undoableNow}).
 */
export function undoOf(
  action: BulkAction,
  results: readonly BulkResult[],
  before: ReadonlyMap<string, JobStatus>,
): UndoPlan | null {
  const done = results.filter((result) => result.ok).map((result) => result.id);
  const ids =
    action === 'cancel'
      ? done.filter((id) => {
          const status = before.get(id);
          return status === 'queued' || status === 'delayed';
        })
      : done;
  return ids.length === 0 ? null : { action: action === 'cancel' ? 'retry' : 'cancel', ids };
}

/**
 * The jobs of an undo that it can still apply to, by their state now: retried jobs that already
 * started are not cancelled (that would stop work, not undo a retry).
 */
export function undoableNow(undo: UndoPlan, statusOf: (id: string) => JobStatus | undefined): string[] {
  if (undo.action === 'retry') return [...undo.ids];
  return undo.ids.filter((id) => {
    const status = statusOf(id);
    return status === undefined || status === 'queued' || status === 'delayed';
  });
}

/** Bulk requests of at most the server's limit each. */
export function chunks<T>(items: readonly T[], size: number = COLLABORATION_LIMITS.maxBulkJobs): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

export function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function listOr(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}
