import type { ActivityAction, ActivityFeedItem, Actor, ListActivityQuery, StreamEvent } from '@flightdeck/contract';
import { describeAge, shortId } from '../components/fd-jobs-table/job-format';

/**
 * The workspace's activity feed between REST loads: the item an event stands for (the same item
 * `GET /v1/activity` lists, with the same id, so an entry seen live is known again when a page lists
 * it), whether it matches the feed's filter, merging, and how an item reads. Pure functions.
 */

export type ActivityItem = ActivityFeedItem;
export type FeedAction = NonNullable<ListActivityQuery['action']>;

/** What the feed shows: people's actions (the default) or everything, and optionally one action. */
export interface ActivityFilter {
  actor: 'people' | 'all';
  action?: FeedAction;
}

export const PEOPLE: ActivityFilter = { actor: 'people' };

/** The event types that mark an attempt, and the activity they stand for (as the server's projector records them). */
const MILESTONES: Partial<Record<StreamEvent['type'], FeedAction>> = {
  'job.active': 'started',
  'job.retrying': 'retrying',
  'job.completed': 'completed',
  'job.failed': 'failed',
};

/**
 * The feed item an event adds, or null. A person's action carries the id of its activity entry
 * (`event.activity`); an attempt milestone's entry is named `<jobId>:<seq>` after its event. Events
 * of older servers, without `activity`, add nothing live (the next page lists them).
 */
export function itemOfEvent(event: StreamEvent, jobType: string | null): ActivityItem | null {
  const jobId = event.jobId ?? event.job?.id;
  if (!jobId) return null;
  const type = event.job?.type || jobType;
  const base = { jobId, jobType: type ?? null, at: event.at };
  if (event.activity && event.actor) {
    const details: Record<string, unknown> = {};
    if (event.comment) {
      details.commentId = event.comment.id;
      details.excerpt = excerptOf(event.comment.body);
    }
    return { ...base, id: event.activity.id, action: event.activity.action, actor: event.actor, details };
  }
  const milestone = MILESTONES[event.type];
  if (!milestone || !event.job) return null;
  const { attemptsMade = 0, error } = event.job;
  const attempt = event.type === 'job.active' ? attemptsMade + 1 : attemptsMade;
  return {
    ...base,
    id: `${jobId}:${event.seq}`,
    action: milestone,
    actor: null,
    details: { attempt, ...(error ? { error: error.message } : {}) },
  };
}

/** How much of a comment an entry quotes (as the server keeps it). */
const EXCERPT_LENGTH = 140;

function excerptOf(body: string): string {
  return body.length > EXCERPT_LENGTH ? `${body.slice(0, EXCERPT_LENGTH - 1)}…` : body;
}

/** Whether the feed, filtered so, shows the item. */
export function matchesFilter(item: ActivityItem, filter: ActivityFilter): boolean {
  if (filter.actor === 'people' && item.actor === null) return false;
  return filter.action === undefined || item.action === filter.action;
}

/** Newest first: by time, then by id (as the server pages). */
export function compareNewestFirst(a: ActivityItem, b: ActivityItem): number {
  if (a.at !== b.at) return a.at < b.at ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/**
 * `items` with `more` added, newest first, each id once. An item already there is replaced by the
 * one in `more` when `replace` (a REST page's item has every detail; the live one only what the
 * event said), else kept.
 */
export function mergeItems(
  items: readonly ActivityItem[],
  more: readonly ActivityItem[],
  { replace = false } = {},
): ActivityItem[] {
  const byId = new Map(items.map((item) => [item.id, item]));
  for (const item of more) if (replace || !byId.has(item.id)) byId.set(item.id, item);
  return [...byId.values()].sort(compareNewestFirst);
}

/** The filter as `GET /v1/activity` takes it. */
export function queryOfFilter(filter: ActivityFilter): Pick<ListActivityQuery, 'actor' | 'action'> {
  return { ...(filter.actor === 'all' ? { actor: 'all' } : {}), ...(filter.action ? { action: filter.action } : {}) };
}

/** The filter in the feed page's address (`?actor=all&action=retried`): people and every action are the default. */
export function filterFromSearch(search: string): ActivityFilter {
  const params = new URLSearchParams(search);
  const actor = params.get('actor') === 'all' ? 'all' : 'people';
  const action = params.get('action');
  const known = actor === 'all' ? ALL_ACTIONS : PEOPLE_ACTIONS;
  return {
    actor,
    ...(action && (known as readonly string[]).includes(action) ? { action: action as FeedAction } : {}),
  };
}

export function searchFromFilter(filter: ActivityFilter): string {
  const params = new URLSearchParams(queryOfFilter(filter));
  return params.size > 0 ? `?${params}` : '';
}

/** The actions a person can pick, by filter, in the order the feed's menu lists them. */
export const PEOPLE_ACTIONS: readonly FeedAction[] = [
  'retried',
  'cancelled',
  'promoted',
  'claimed',
  'released',
  'commented',
];
export const ALL_ACTIONS: readonly FeedAction[] = [...PEOPLE_ACTIONS, 'started', 'retrying', 'completed', 'failed'];

/** A menu label for an action. */
export const ACTION_LABELS: Record<FeedAction, string> = {
  retried: 'Retried',
  cancelled: 'Cancelled',
  promoted: 'Promoted',
  claimed: 'Claimed',
  released: 'Released',
  commented: 'Commented',
  started: 'Started',
  retrying: 'Failed, retrying',
  completed: 'Completed',
  failed: 'Failed',
};

/**
 * How an item reads, in parts the view lays out: "Ada Lovelace · retried job · demo.sleep 1GPX20JT ·
 * (bulk action)", or for a job's own milestone "Job · demo.sleep 1GPX20JT · failed · : demo failure".
 */
export interface ItemPhrase {
  /** Who did it; null for a job's own milestone (the job is the subject). */
  actor: string | null;
  /** What came before the job's name: "retried job", "released Bob's claim on job", or "Job". */
  before: string;
  /** The job as the item names it: "demo.sleep 1GPX20JT", or "job 1GPX20JT" when its type is unknown. */
  job: string;
  /** What comes after it: a milestone's verb, a bulk or drain note, a quoted comment. */
  after: string;
}

/** How a person's action reads before the job it names ("released the claim on"), here and on the job page. */
export const PERSON_VERBS: Partial<Record<ActivityAction, string>> = {
  cancelled: 'cancelled',
  retried: 'retried',
  promoted: 'promoted',
  claimed: 'claimed',
  released: 'released the claim on',
  commented: 'commented on',
};

export function phraseOf(item: ActivityItem): ItemPhrase {
  const job = item.jobType ? `${item.jobType} ${shortId(item.jobId)}` : shortId(item.jobId);
  const details = item.details;
  if (item.actor) {
    let verb = PERSON_VERBS[item.action] ?? item.action;
    const holder = details.holder as { name?: unknown } | undefined;
    if (item.action === 'released' && typeof holder?.name === 'string') verb = `released ${holder.name}’s claim on`;
    const after =
      details.bulk === true
        ? ' (bulk action)'
        : typeof details.drainedQueue === 'string'
          ? ` (drained queue ${details.drainedQueue})`
          : typeof details.excerpt === 'string'
            ? `: “${details.excerpt}”`
            : '';
    return { actor: actorName(item.actor), before: `${verb} job`, job, after };
  }
  const attempt = typeof details.attempt === 'number' ? details.attempt : null;
  const error = typeof details.error === 'string' ? `: ${details.error}` : '';
  const of = attempt ? ` (attempt ${attempt})` : '';
  const after =
    item.action === 'started'
      ? `started${of}`
      : item.action === 'completed'
        ? `completed${of}`
        : item.action === 'retrying'
          ? `failed${of}, will retry${error}`
          : item.action === 'failed'
            ? `failed${of}${error}`
            : item.action;
  return { actor: null, before: 'Job', job, after: ` ${after}` };
}

/** The whole item as one sentence (for a tooltip, a live announcement). */
export function sentenceOf(item: ActivityItem): string {
  const { actor, before, job, after } = phraseOf(item);
  return `${actor ? `${actor} ` : ''}${before} ${job}${after}`;
}

export function actorName(actor: Actor): string {
  return actor.type === 'apiKey' ? `API key “${actor.name}”` : actor.name;
}

/** "just now", "4 minutes ago"…: how long ago, in words (the absolute time goes in a tooltip). */
export function relativeTime(iso: string, now = Date.now()): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '';
  const elapsed = now - at;
  return elapsed < 10_000 ? 'just now' : describeAge(elapsed);
}
