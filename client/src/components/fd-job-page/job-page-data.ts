import {
  COLLABORATION_LIMITS,
  type ActivityEntry,
  type Comment,
  type Job,
  type StreamEvent,
} from '@flightdeck/contract';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { messageOf } from '../../accounts/form-errors';
import { ApiError, type JobDetailsApi } from '../../api/api-client';
import type { ToastRequest } from '../../events/fd-toast';
import type { StreamListener } from '../../realtime/realtime-client';
import { activityOfEvent, jobAfterEvent, mergeActivity, mergeComments, toastOfEvent } from './job-activity';
import { emptyLog, logAfterEvent, logPageLoaded, type LogState } from './job-logs';

export type Loading = 'loading' | 'ready' | 'failed';

/** How many log lines a REST page reads. */
const LOG_PAGE_SIZE = 500;
/** How many comments the page reads at most when it opens. */
const MAX_COMMENT_PAGES = 5;

export interface JobPageDataOptions {
  /** What someone else did to the job, or a failure of the page's own. */
  toast(request: ToastRequest): void;
  /** Who is looking (left out of the toasts of what others did). */
  selfId(): string | null;
}

/** An action under way: its answer is shown only if the job is the same and no event came meanwhile. */
export interface ActionTicket {
  generation: number;
  events: number;
}

/**
 * The data of one job's page, as one view that owns it: the job, its log, comments and activity,
 * read from REST when the page opens (and again after a gap in the stream), then kept by the
 * workspace's events (the job with the contract's reducer). Every read belongs to a generation: the
 * answers about a job (or API) the page no longer shows are dropped.
 */
export class JobPageData implements ReactiveController {
  job: Job | null = null;
  jobLoad: Loading | 'not-found' = 'loading';
  jobLoadError = '';
  log: LogState = emptyLog();
  logLoad: Loading = 'loading';
  logMoreLoading = false;
  comments: readonly Comment[] = [];
  commentsLoad: Loading = 'loading';
  activity: readonly ActivityEntry[] = [];
  activityLoad: Loading = 'loading';

  private api: JobDetailsApi | undefined;
  private jobId = '';
  /** Bumped for every new job (or API): answers about an older one are dropped. */
  private generation = 0;
  /** Events that arrived before the job did, applied to it once it is read. */
  private early: StreamEvent[] = [];
  /** Activity entries seen live (kept across reloads of the list, until it holds them too). */
  private liveActivity: ActivityEntry[] = [];
  /** Comments seen live (merged into every list read). */
  private liveComments: Comment[] = [];
  /** How many of this job's events arrived: an action's answer is newer only when none did meanwhile. */
  private eventCount = 0;

  /** What the page tells the realtime client: the workspace's events, and gaps in them. */
  readonly listener: StreamListener = {
    event: (event) => this.onEvent(event),
    reloaded: () => this.reload(),
  };

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: JobPageDataOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** Starts over for `jobId`, read with `api`. */
  open(api: JobDetailsApi | undefined, jobId: string): void {
    this.api = api;
    this.jobId = jobId;
    const generation = ++this.generation;
    this.job = null;
    this.jobLoad = 'loading';
    this.jobLoadError = '';
    this.log = emptyLog();
    this.logLoad = 'loading';
    this.comments = [];
    this.commentsLoad = 'loading';
    this.activity = [];
    this.activityLoad = 'loading';
    this.early = [];
    this.liveActivity = [];
    this.liveComments = [];
    this.changed();
    if (!api || !jobId) return;
    this.loadAll(generation);
  }

  /** After a gap in the stream: read everything again (what arrived live stays). */
  reload(): void {
    if (!this.api || !this.jobId || this.jobLoad === 'not-found') return;
    this.loadAll(this.generation);
  }

  /** Whether `generation` is still the job shown. */
  isCurrent(generation: number): boolean {
    return generation === this.generation;
  }

  get currentGeneration(): number {
    return this.generation;
  }

  /** Before an action that answers the job. */
  ticket(): ActionTicket {
    return { generation: this.generation, events: this.eventCount };
  }

  /** An action's answer: shown unless the job changed or an event already said more. */
  actionAnswered(ticket: ActionTicket, job: Job): void {
    if (ticket.generation !== this.generation || ticket.events !== this.eventCount || !this.job) return;
    this.job = { ...this.job, ...job, payload: job.payload ?? this.job.payload };
    this.changed();
  }

  /** A comment the person posted (its event may come later, or not at all). */
  commentPosted(comment: Comment): void {
    this.liveComments.push(comment);
    this.comments = mergeComments(this.comments, [comment]);
    this.changed();
  }

  async loadMoreLog(): Promise<void> {
    const cursor = this.log.cursor;
    if (!this.api || cursor === null || this.logMoreLoading) return;
    const generation = this.generation;
    this.logMoreLoading = true;
    this.changed();
    try {
      const page = await this.api.jobLogs(this.jobId, { cursor, limit: LOG_PAGE_SIZE });
      if (generation === this.generation) this.log = logPageLoaded(this.log, page, true);
    } catch (error) {
      if (generation === this.generation)
        this.options.toast({ message: `Could not load more log lines: ${messageOf(error)}`, tone: 'error' });
    } finally {
      if (generation === this.generation) this.logMoreLoading = false;
      this.changed();
    }
  }

  private loadAll(generation: number): void {
    void this.loadJob(generation);
    void this.loadLog(generation);
    void this.loadComments(generation);
    void this.loadActivity(generation);
  }

  private async loadJob(generation: number): Promise<void> {
    try {
      let job = await this.api!.getJob(this.jobId);
      if (generation !== this.generation) return;
      for (const event of this.early.splice(0)) job = jobAfterEvent(job, event);
      this.job = job;
      this.jobLoad = 'ready';
    } catch (error) {
      if (generation !== this.generation) return;
      // Another workspace's job is "not found" too (the API says so on purpose); so is an id that cannot be one.
      if (error instanceof ApiError && (error.status === 404 || error.status === 400 || error.status === 422)) {
        this.jobLoad = 'not-found';
      } else if (!this.job) {
        this.jobLoad = 'failed';
        this.jobLoadError = messageOf(error);
      }
    }
    this.changed();
  }

  private async loadLog(generation: number): Promise<void> {
    try {
      const page = await this.api!.jobLogs(this.jobId, { limit: LOG_PAGE_SIZE });
      if (generation !== this.generation) return;
      this.log = logPageLoaded(this.log, page, false);
      this.logLoad = 'ready';
    } catch {
      if (generation === this.generation && this.logLoad !== 'ready') this.logLoad = 'failed';
    }
    this.changed();
  }

  private async loadComments(generation: number): Promise<void> {
    try {
      const items: Comment[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_COMMENT_PAGES; page++) {
        const answer = await this.api!.jobComments(this.jobId, {
          limit: COLLABORATION_LIMITS.maxCommentListLimit,
          ...(cursor ? { cursor } : {}),
        });
        items.push(...answer.items);
        if (answer.nextCursor === null) break;
        cursor = answer.nextCursor;
      }
      if (generation !== this.generation) return;
      this.comments = mergeComments(items, this.liveComments);
      this.commentsLoad = 'ready';
    } catch {
      if (generation === this.generation && this.commentsLoad !== 'ready') this.commentsLoad = 'failed';
    }
    this.changed();
  }

  private async loadActivity(generation: number): Promise<void> {
    try {
      const items = await this.api!.jobActivity(this.jobId);
      if (generation !== this.generation) return;
      this.activity = mergeActivity(items, this.liveActivity);
      this.activityLoad = 'ready';
    } catch {
      if (generation === this.generation && this.activityLoad !== 'ready') this.activityLoad = 'failed';
    }
    this.changed();
  }

  private onEvent(event: StreamEvent): void {
    const id = this.jobId;
    if (!id || (event.jobId ?? event.job?.id) !== id) return;
    this.eventCount++;
    const before = this.job;
    if (before) this.job = jobAfterEvent(before, event);
    else this.early.push(event);
    this.log = logAfterEvent(this.log, event, id);
    if (event.type === 'comment.created' && event.comment) {
      this.liveComments.push(event.comment);
      this.comments = mergeComments(this.comments, [event.comment]);
    }
    const entry = activityOfEvent(event);
    if (entry) {
      this.liveActivity.push(entry);
      this.activity = mergeActivity(this.activity, [entry]);
    }
    this.changed();
    const toast = toastOfEvent(event, id, this.options.selfId());
    if (toast) this.options.toast({ message: toast, tone: 'info' });
  }

  private changed(): void {
    this.host.requestUpdate();
  }
}
