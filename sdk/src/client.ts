import {
  FINAL_EVENT_TYPES,
  isFinalStatus,
  type Job,
  type JobTypeInfo,
  type JobTypeList,
  type ListJobsQuery,
  type SubmitJob,
} from '@flightdeck/contract';
import { WaitTimeoutError } from './errors';
import { registrationOf, type AnyJobTypeDefinition, type PayloadOf, type ResultOf } from './job-type';
import { RealtimeConnection, type Subscription, type SubscriptionHandlers, type Topic } from './realtime';
import { RestTransport } from './rest-transport';

export interface FlightdeckClientOptions {
  /** Flightdeck's URL, e.g. `https://flightdeck.example.com` (REST and Socket.IO share it). */
  url: string;
  /** A workspace API key: `jobs:read` and `jobs:write` to submit and follow, `workers:run` to register types. */
  apiKey: string;
  /** A `fetch` of your own (tests, proxies); the global one by default. */
  fetch?: typeof fetch;
}

/** Everything a submit takes besides the type and payload. */
export type SubmitOptions = Omit<SubmitJob, 'type' | 'payload'>;

/** A job whose `result` has its type's result type. */
export type TypedJob<Result> = Omit<Job, 'result'> & { result: Result | null };

export interface WaitOptions {
  /** Give up (WaitTimeoutError) after this long; 10 minutes by default. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

const DEFAULT_WAIT_MS = 10 * 60_000;
/** How often `waitFor` also asks REST, whatever the realtime connection does. */
const WAIT_POLL_MS = 5_000;

/**
 * Flightdeck's typed client: submit jobs (typed by a `defineJobType` definition, or by name), read,
 * list, cancel and retry them, wait for one to end, and follow the workspace or a job live. Works in
 * Node (20+) and in browsers.
 */
export class FlightdeckClient {
  private readonly rest: RestTransport;
  private realtime: RealtimeConnection | undefined;

  constructor(private readonly options: FlightdeckClientOptions) {
    this.rest = new RestTransport(options.url, options.apiKey, options.fetch);
  }

  /** Submits a job; the answer is the job as queued (or delayed). */
  submit<Definition extends AnyJobTypeDefinition>(
    type: Definition,
    payload: PayloadOf<Definition>,
    options?: SubmitOptions,
  ): Promise<TypedJob<ResultOf<Definition>>>;
  submit(type: string, payload?: Record<string, unknown>, options?: SubmitOptions): Promise<Job>;
  submit(type: AnyJobTypeDefinition | string, payload?: unknown, options: SubmitOptions = {}): Promise<Job> {
    const name = typeof type === 'string' ? type : type.name;
    return this.rest.request<Job>('POST', '/v1/jobs', { ...options, type: name, payload: payload ?? {} });
  }

  get(id: string): Promise<Job> {
    return this.rest.request<Job>('GET', `/v1/jobs/${encodeURIComponent(id)}`);
  }

  /** A page of jobs, newest first; pass `nextCursor` back as `cursor` for the next. */
  list(query: Partial<ListJobsQuery> = {}): Promise<{ items: Job[]; nextCursor: string | null }> {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined) search.set(key, String(value));
    const suffix = search.size > 0 ? `?${search}` : '';
    return this.rest.request('GET', `/v1/jobs${suffix}`);
  }

  cancel(id: string): Promise<Job> {
    return this.rest.request<Job>('POST', `/v1/jobs/${encodeURIComponent(id)}/cancel`);
  }

  retry(id: string): Promise<Job> {
    return this.rest.request<Job>('POST', `/v1/jobs/${encodeURIComponent(id)}/retry`);
  }

  /** The job types the workspace can submit: the built-in ones and its own. */
  async jobTypes(): Promise<JobTypeInfo[]> {
    return (await this.rest.request<JobTypeList>('GET', '/v1/job-types')).types;
  }

  /** Registers types in the workspace (key scope `workers:run`); a changed definition becomes a new version. */
  register(...definitions: AnyJobTypeDefinition[]): Promise<JobTypeInfo[]> {
    return Promise.all(
      definitions.map((definition) =>
        this.rest.request<JobTypeInfo>(
          'PUT',
          `/v1/job-types/${encodeURIComponent(definition.name)}`,
          registrationOf(definition),
        ),
      ),
    );
  }

  /**
   * Follows the workspace or one job live. Each event is delivered once, in order; after a dropped
   * connection the subscription resumes from the last event it delivered (or from `since`).
   */
  subscribe(topic: Topic, handlers: SubscriptionHandlers, options: { since?: number } = {}): Subscription {
    this.realtime ??= new RealtimeConnection(this.options.url, this.options.apiKey);
    return this.realtime.subscribe(topic, handlers, options.since);
  }

  /** Resolves with the job once it has ended (completed, failed or cancelled), as REST shows it then. */
  waitFor<Result = unknown>(id: string, options: WaitOptions = {}): Promise<TypedJob<Result>> {
    return new Promise<Job>((resolve, reject) => {
      let done = false;
      const finish = (outcome: { job: Job } | { error: unknown }) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        clearInterval(poll);
        options.signal?.removeEventListener('abort', aborted);
        subscription.close();
        if ('job' in outcome) resolve(outcome.job);
        else reject(outcome.error);
      };
      // Asked after the subscription is live and again on a resync, so an end is never missed.
      const check = () =>
        this.get(id).then(
          (job) => isFinalStatus(job.status) && finish({ job }),
          (error: unknown) => finish({ error }),
        );
      const subscription = this.subscribe(
        { topic: 'job', id },
        {
          event: (event) => {
            if (FINAL_EVENT_TYPES.includes(event.type)) void check();
          },
          resync: () => void check(),
          error: (error) => finish({ error }),
        },
      );
      const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
      const timer = setTimeout(
        () => finish({ error: new WaitTimeoutError(`job ${id} did not end within ${timeoutMs} ms`) }),
        timeoutMs,
      );
      // A safety net, not the way it learns: with no realtime connection (a proxy that drops
      // WebSockets, say) the job's end is still found.
      const poll = setInterval(() => void check(), WAIT_POLL_MS);
      const aborted = () => finish({ error: options.signal?.reason });
      if (options.signal?.aborted) return aborted();
      options.signal?.addEventListener('abort', aborted, { once: true });
      subscription.ready.then(check, () => undefined);
    }) as Promise<TypedJob<Result>>;
  }

  /** Closes the realtime connection (REST calls need no closing). */
  close(): void {
    this.realtime?.close();
    this.realtime = undefined;
  }
}
