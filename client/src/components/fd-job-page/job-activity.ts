import type { ActivityEntry, Actor, Comment, StreamEvent } from '@flightdeck/contract';
import { itemOfEvent, PERSON_VERBS } from '../../activity/activity-list';

/**
 * A job's page between REST loads: the job after each event, what the job's activity gains from
 * each event (the same entries `GET /v1/jobs/{id}/activity` lists, so a live page and a reloaded one
 * read alike), its attempts, and what a person's action reads as. Pure functions.
 */

/** The job after an event about it (claims included): the contract's rules, shared with every view. */
export { jobAfterEvent } from '@flightdeck/contract';

/**
 * The activity entry an event adds, or null: the entry `GET /v1/jobs/{id}/activity` lists for it,
 * with the same id (an attempt's milestone, or a person's action as its event names it).
 */
export function activityOfEvent(event: StreamEvent): ActivityEntry | null {
  const item = itemOfEvent(event, null);
  if (!item) return null;
  const { jobId: _jobId, jobType: _jobType, ...entry } = item;
  return entry;
}

/** `entries` with `more` added, skipping what is there already (by id), in time order (stable). */
export function mergeActivity(entries: readonly ActivityEntry[], more: readonly ActivityEntry[]): ActivityEntry[] {
  const merged = [...entries];
  const known = new Set(entries.map((entry) => entry.id));
  for (const entry of more) {
    if (known.has(entry.id)) continue;
    known.add(entry.id);
    merged.push(entry);
  }
  return merged
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => Date.parse(a.entry.at) - Date.parse(b.entry.at) || a.index - b.index)
    .map(({ entry }) => entry);
}

/** One attempt at running the job, from its milestones. */
export interface Attempt {
  number: number;
  startedAt: string | null;
  endedAt: string | null;
  outcome: 'running' | 'completed' | 'failed' | 'retrying';
  error: string | null;
}

/** The job's attempts, oldest first, from its activity (a retry by a person starts counting again). */
export function attemptsOf(entries: readonly ActivityEntry[]): Attempt[] {
  const attempts: Attempt[] = [];
  for (const entry of entries) {
    if (entry.actor !== null) continue;
    const attempt = typeof entry.details.attempt === 'number' ? entry.details.attempt : undefined;
    if (attempt === undefined) continue;
    if (entry.action === 'started') {
      attempts.push({ number: attempt, startedAt: entry.at, endedAt: null, outcome: 'running', error: null });
      continue;
    }
    if (entry.action !== 'completed' && entry.action !== 'failed' && entry.action !== 'retrying') continue;
    let current = attempts.at(-1);
    if (!current || current.number !== attempt || current.outcome !== 'running') {
      current = { number: attempt, startedAt: null, endedAt: null, outcome: 'running', error: null };
      attempts.push(current);
    }
    current.outcome = entry.action;
    current.endedAt = entry.at;
    current.error = typeof entry.details.error === 'string' ? entry.details.error : null;
  }
  return attempts;
}

/** What an activity entry reads as: "retried by Ada Lovelace", "attempt 2 failed: demo failure". */
export function describeActivity(entry: ActivityEntry): string {
  const by = entry.actor ? ` by ${actorName(entry.actor)}` : '';
  const attempt = typeof entry.details.attempt === 'number' ? entry.details.attempt : null;
  const error = typeof entry.details.error === 'string' ? `: ${entry.details.error}` : '';
  const bulk =
    entry.details.bulk === true
      ? ' (bulk action)'
      : typeof entry.details.drainedQueue === 'string'
        ? ` (drain of queue ${entry.details.drainedQueue})`
        : '';
  switch (entry.action) {
    case 'created':
      return 'Created';
    case 'started':
      return attempt ? `Attempt ${attempt} started` : 'Started';
    case 'retrying':
      return `${attempt ? `Attempt ${attempt}` : 'An attempt'} failed, will retry${error}`;
    case 'completed':
      return attempt ? `Completed (attempt ${attempt})` : 'Completed';
    case 'failed':
      return `${attempt ? `Attempt ${attempt} failed` : 'Failed'}${error}`;
    case 'released': {
      const holder = entry.details.holder as { name?: unknown } | undefined;
      const whose = typeof holder?.name === 'string' ? `${holder.name}'s claim ` : 'Claim ';
      return `${whose}released${by}`;
    }
    case 'commented':
      return `Comment${by}`;
    default:
      return `${capitalize(entry.action)}${by}${bulk}`;
  }
}

/** The toast for an action someone else took on the job you look at: "Bob Builder retried this job". */
export function toastOfEvent(event: StreamEvent, jobId: string, selfId: string | null): string | null {
  if (event.jobId !== jobId || !event.actor || event.actor.id === selfId) return null;
  const entry = activityOfEvent(event);
  const verb = entry?.actor ? PERSON_VERBS[entry.action] : undefined;
  return verb ? `${actorName(event.actor)} ${verb} this job` : null;
}

export function actorName(actor: Actor): string {
  return actor.type === 'apiKey' ? `API key “${actor.name}”` : actor.name;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** `comments` with `more` added (by id), oldest first. */
export function mergeComments(comments: readonly Comment[], more: readonly Comment[]): Comment[] {
  const byId = new Map(comments.map((comment) => [comment.id, comment]));
  for (const comment of more) byId.set(comment.id, comment);
  return [...byId.values()].sort((a, b) =>
    a.createdAt === b.createdAt ? (a.id < b.id ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1,
  );
}
