import { JOB_STATUSES, type Job, type JobFilters, type JobStatus } from '@flightdeck/contract';

/**
 * The jobs view's filters: what the address holds (`/w/<slug>?status=failed&q=…`), what
 * `GET /v1/jobs` is asked, and the same check in the browser for live events. Pure functions, so the
 * address format and the matching are tested without a browser.
 */

/** Time ranges counted back from now. */
export const RELATIVE_RANGES = ['1h', '24h', '7d'] as const;
export type RelativeRange = (typeof RELATIVE_RANGES)[number];

export const RANGE_MS: Record<RelativeRange, number> = {
  '1h': 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
};

export const RANGE_LABELS: Record<RelativeRange, string> = {
  '1h': 'Last hour',
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
};

/** "claimed by" values that are not a member's id. */
export const CLAIMED_BY_ME = 'me';
export const CLAIMED_BY_NOBODY = 'nobody';

/** What the jobs view shows, as its address says it. Absent fields do not filter. */
export interface ViewFilters {
  status?: JobStatus;
  type?: string;
  queue?: string;
  /** `me` (whoever looks), `nobody`, or a member's user id. */
  claimedBy?: string;
  /** A range ending now; when set, `from` and `to` are not. */
  range?: RelativeRange;
  /** A custom range: created at or after `from`, before `to` (ISO times). */
  from?: string;
  to?: string;
  /** Text: an exact job id, or part of the type or of the error message. */
  q?: string;
}

/** The address's query parameters, in the order they are written. */
const PARAMS = ['status', 'type', 'queue', 'claimedBy', 'range', 'from', 'to', 'q'] as const;

/** The API's limit on every text filter. */
const MAX_TEXT = 100;

/** The filters an address query names; values the API would refuse are left out. */
export function filtersFromSearch(search: string): ViewFilters {
  const params = new URLSearchParams(search);
  const filters: ViewFilters = {};
  const status = params.get('status');
  if (status && (JOB_STATUSES as readonly string[]).includes(status)) filters.status = status as JobStatus;
  for (const name of ['type', 'queue', 'claimedBy', 'q'] as const) {
    const value = params.get(name)?.trim();
    if (value && value.length <= MAX_TEXT) filters[name] = value;
  }
  const range = params.get('range');
  if (range && (RELATIVE_RANGES as readonly string[]).includes(range)) filters.range = range as RelativeRange;
  else {
    const from = isoTime(params.get('from'));
    const to = isoTime(params.get('to'));
    if (from) filters.from = from;
    if (to) filters.to = to;
  }
  return filters;
}

/** The address query of the filters (`?status=failed&q=…`), or `''` when nothing filters. */
export function searchFromFilters(filters: ViewFilters): string {
  const params = new URLSearchParams();
  for (const name of PARAMS) {
    const value = filters[name];
    if (value) params.set(name, value);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Whether any filter is set. */
export function isFiltered(filters: ViewFilters): boolean {
  return PARAMS.some((name) => Boolean(filters[name]));
}

export function sameFilters(a: ViewFilters, b: ViewFilters): boolean {
  return searchFromFilters(a) === searchFromFilters(b);
}

export interface QueryContext {
  /** Who looks (a user id), for `claimedBy=me`; null for an API key, which claims nothing. */
  me: string | null;
  now: number;
}

/**
 * What `GET /v1/jobs` is asked for the filters: `me` becomes the person's id and a relative range
 * a `from` time as of `now`. Without a person, "claimed by me" matches nothing the key could claim:
 * it is dropped rather than sent as a bogus id.
 */
export function queryFromFilters(filters: ViewFilters, { me, now }: QueryContext): JobFilters {
  const query: JobFilters = {};
  if (filters.status) query.status = filters.status;
  if (filters.type) query.type = filters.type;
  if (filters.queue) query.queue = filters.queue;
  if (filters.claimedBy) {
    const claimedBy = filters.claimedBy === CLAIMED_BY_ME ? me : filters.claimedBy;
    if (claimedBy) query.claimedBy = claimedBy;
  }
  if (filters.range) query.from = new Date(now - RANGE_MS[filters.range]).toISOString();
  else {
    if (filters.from) query.from = filters.from;
    if (filters.to) query.to = filters.to;
  }
  if (filters.q) query.q = filters.q;
  return query;
}

/**
 * Whether a job is one `GET /v1/jobs` would list for `query`: the same rules as the server, for
 * live events (a job that stops matching leaves the view, one that starts matching joins it).
 */
export function matchesFilters(job: Job, query: JobFilters): boolean {
  if (query.status && job.status !== query.status) return false;
  if (query.type && job.type !== query.type) return false;
  if (query.queue && job.queue !== query.queue) return false;
  if (query.claimedBy) {
    const holder = job.claimedBy?.id ?? null;
    if (query.claimedBy === CLAIMED_BY_NOBODY ? holder !== null : holder !== query.claimedBy) return false;
  }
  if (query.from || query.to) {
    const created = Date.parse(job.createdAt);
    if (Number.isNaN(created)) return false;
    if (query.from && created < Date.parse(query.from)) return false;
    if (query.to && created >= Date.parse(query.to)) return false;
  }
  if (query.q) {
    const text = query.q.trim();
    const lower = text.toLowerCase();
    const found =
      job.id === text ||
      job.type.toLowerCase().includes(lower) ||
      (job.error?.message.toLowerCase().includes(lower) ?? false);
    if (!found) return false;
  }
  return true;
}

/**
 * The filters of a saved view, for the address. Saved views hold what `GET /v1/jobs` takes, so the
 * viewer's own id reads back as `me`, and times as a custom range.
 */
export function filtersFromSavedView(saved: JobFilters, me: string | null): ViewFilters {
  const filters: ViewFilters = {};
  if (saved.status) filters.status = saved.status;
  if (saved.type) filters.type = saved.type;
  if (saved.queue) filters.queue = saved.queue;
  if (saved.claimedBy) filters.claimedBy = me !== null && saved.claimedBy === me ? CLAIMED_BY_ME : saved.claimedBy;
  if (saved.range) filters.range = saved.range;
  else {
    if (saved.from) filters.from = saved.from;
    if (saved.to) filters.to = saved.to;
  }
  if (saved.q) filters.q = saved.q;
  return filters;
}

/**
 * What a saved view stores of the filters: `GET /v1/jobs`'s own filters, shared by the workspace,
 * so `me` is stored as the saver's id. A range counted back from now stays one (`range`), so the
 * view keeps moving with the clock.
 */
export function savedFiltersFromFilters(filters: ViewFilters, me: string | null): JobFilters {
  const { range, ...rest } = filters;
  return { ...queryFromFilters(rest, { me, now: 0 }), ...(range ? { range } : {}) };
}

export interface DescribeContext {
  /** A member's name by user id, for "claimed by Ada". */
  nameOf?: (userId: string) => string | undefined;
}

/** The empty state of a filtered view: "No failed jobs in the last hour". */
export function emptyMessage(filters: ViewFilters, context: DescribeContext = {}): string {
  if (!isFiltered(filters)) return 'No jobs yet';
  return `No ${describeJobs(filters, context)}`;
}

/** The filters in words, after a count or "No": "failed demo.sleep jobs claimed by you in the last hour". */
export function describeJobs(filters: ViewFilters, { nameOf }: DescribeContext = {}): string {
  const parts: string[] = [];
  parts.push([filters.status, filters.type, 'jobs'].filter(Boolean).join(' '));
  if (filters.queue) parts.push(`in queue ${filters.queue}`);
  if (filters.claimedBy === CLAIMED_BY_ME) parts.push('claimed by you');
  else if (filters.claimedBy === CLAIMED_BY_NOBODY) parts.push('that nobody claimed');
  else if (filters.claimedBy) parts.push(`claimed by ${nameOf?.(filters.claimedBy) ?? 'that member'}`);
  if (filters.q) parts.push(`matching “${filters.q}”`);
  if (filters.range) parts.push(`in the ${RANGE_LABELS[filters.range].toLowerCase()}`);
  else if (filters.from && filters.to)
    parts.push(`created between ${shortTime(filters.from)} and ${shortTime(filters.to)}`);
  else if (filters.from) parts.push(`created since ${shortTime(filters.from)}`);
  else if (filters.to) parts.push(`created before ${shortTime(filters.to)}`);
  return parts.join(' ');
}

/** A time as the filters show it: local, to the minute. */
export function shortTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** An ISO time from a `datetime-local` input's value (local time), or undefined. */
export function isoFromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const time = new Date(value).getTime();
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** A `datetime-local` input's value (local time, to the minute) for an ISO time. */
export function localInputFromIso(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function isoTime(value: string | null): string | undefined {
  if (!value) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}
