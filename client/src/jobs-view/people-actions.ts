import type { Actor, Job, StreamEvent } from '@flightdeck/contract';
import { shortId } from '../components/fd-jobs-table/job-format';

/**
 * What other people do to the jobs in view, for the toasts: "Bob retried demo.sleep 1GPX20JT",
 * "Ada claimed http.request 8XAT22AD". Events of the person's own actions are not news to them.
 */
export interface PersonAction {
  actor: Actor;
  /** Past tense: `retried`, `cancelled`, `claimed`… */
  verb: string;
  job: { id: string; type: string };
}

/**
 * The action an event reports, when someone other than `selfId` did it to a job the view shows
 * (before or after the event); else null. A `job.queued` with an actor is a retry of a failed or
 * cancelled job, or a promotion of a delayed one; the job's state before tells which.
 */
export function personActionOf(
  event: StreamEvent,
  before: Job | undefined,
  after: Job | undefined,
  selfId: string | null,
): PersonAction | null {
  const actor = event.actor;
  const shown = after ?? before;
  if (!actor || !shown || (selfId !== null && actor.id === selfId)) return null;
  const verb = verbOf(event, before);
  return verb ? { actor, verb, job: { id: shown.id, type: shown.type } } : null;
}

function verbOf(event: StreamEvent, before: Job | undefined): string | null {
  switch (event.type) {
    case 'job.queued':
      return before?.status === 'delayed' ? 'promoted' : before?.status === 'queued' ? null : 'retried';
    case 'job.cancelled':
      return 'cancelled';
    case 'job.claimed':
      return 'claimed';
    case 'job.released':
      return 'released';
    case 'comment.created':
      return 'commented on';
    default:
      return null;
  }
}

/**
 * Toast texts for actions that came together, one per person and verb: a bulk retry of forty jobs
 * by Bob is one toast ("Bob retried 40 jobs"), not forty.
 */
export function actionTexts(actions: readonly PersonAction[]): string[] {
  const groups = new Map<string, PersonAction[]>();
  for (const action of actions) {
    const key = `${action.actor.type}:${action.actor.id} ${action.verb}`;
    const group = groups.get(key) ?? [];
    if (!group.some((other) => other.job.id === action.job.id)) group.push(action);
    groups.set(key, group);
  }
  return [...groups.values()].map((group) => {
    const { actor, verb, job } = group[0]!;
    const what = group.length === 1 ? `${job.type} ${shortId(job.id)}` : `${group.length} jobs`;
    return `${actor.name} ${verb} ${what}`;
  });
}
