import type {
  ActivityEntry,
  ActivityFeed,
  Comment,
  Job,
  JobFilters,
  JobLogLine,
  JobStatus,
  JobTypeInfo,
  ListActivityQuery,
  SubmitJob,
} from '@flightdeck/contract';
import type { BulkAction, BulkResult } from '../jobs-view/bulk-actions';
import { searchOf, type Requesting } from './api-transport';

export interface JobList {
  items: Job[];
  nextCursor: string | null;
}

export interface ListJobsQuery extends JobFilters {
  status?: JobStatus;
  type?: string;
  limit?: number;
  cursor?: string;
}

/** What the console needs of the REST API; components depend on this shape, not on the class. */
export interface JobsApi {
  submitJob(input: SubmitJob): Promise<Job>;
  listJobs(query?: ListJobsQuery): Promise<JobList>;
  getJob(id: string): Promise<Job>;
}

/** A page of a job's log lines (oldest first) or comments (oldest first); `nextCursor` reads on. */
export interface Page<Item> {
  items: Item[];
  nextCursor: string | null;
}

/** A token that lets anyone who has it watch one job (`<fd-job-status>`), until it expires. */
export interface JobToken {
  token: string;
  jobId: string;
  expiresAt: string;
}

/** One job's page: its logs, comments, claim, activity and the actions people take on it. */
export interface JobDetailsApi {
  getJob(id: string): Promise<Job>;
  jobLogs(id: string, query?: { cursor?: string; limit?: number }): Promise<Page<JobLogLine>>;
  jobComments(id: string, query?: { cursor?: string; limit?: number }): Promise<Page<Comment>>;
  addComment(id: string, body: string): Promise<Comment>;
  jobActivity(id: string): Promise<ActivityEntry[]>;
  claimJob(id: string): Promise<Job>;
  releaseJob(id: string): Promise<Job>;
  cancelJob(id: string): Promise<Job>;
  retryJob(id: string): Promise<Job>;
  promoteJob(id: string): Promise<Job>;
  createJobToken(id: string): Promise<JobToken>;
}

/** Retry or cancel many jobs at once; one result per id, in order (see bulk-actions.ts). */
export interface BulkJobsApi {
  bulkJobs(input: { action: BulkAction; ids: readonly string[] }): Promise<BulkResult[]>;
}

/** The workspace's activity: who did what to which job, newest first (see activity/activity-feed.ts). */
export interface ActivityApi {
  listActivity(query?: Partial<ListActivityQuery>): Promise<ActivityFeed>;
}

const jobPath = (id: string) => `/v1/jobs/${encodeURIComponent(id)}`;

/** The calls on jobs, their types and the workspace's activity, for the {@link ApiClient}. */
export function JobsCalls<Base extends Requesting>(base: Base) {
  abstract class Jobs extends base implements JobsApi, JobDetailsApi, BulkJobsApi, ActivityApi {
    /** `POST /v1/jobs`: the accepted job (status `queued` or `delayed`). */
    submitJob(input: SubmitJob): Promise<Job> {
      return this.request<Job>('POST', '/v1/jobs', { body: input, scoped: true });
    }

    /** `GET /v1/job-types`: the built-in types and the workspace's own. */
    async listJobTypes(): Promise<JobTypeInfo[]> {
      return (await this.request<{ types: JobTypeInfo[] }>('GET', '/v1/job-types', { scoped: true })).types;
    }

    /** `GET /v1/jobs`: newest first. */
    listJobs(query: ListJobsQuery = {}): Promise<JobList> {
      return this.request<JobList>('GET', `/v1/jobs${searchOf(query)}`, { scoped: true });
    }

    /** `GET /v1/jobs/{id}`. */
    getJob(id: string): Promise<Job> {
      return this.request<Job>('GET', jobPath(id), { scoped: true });
    }

    /** `GET /v1/jobs/{id}/logs`: log lines oldest first; `nextCursor` reads the newer ones. */
    jobLogs(id: string, query: { cursor?: string; limit?: number } = {}): Promise<Page<JobLogLine>> {
      return this.request<Page<JobLogLine>>('GET', `${jobPath(id)}/logs${searchOf(query)}`, { scoped: true });
    }

    /** `GET /v1/jobs/{id}/comments`: oldest first. */
    jobComments(id: string, query: { cursor?: string; limit?: number } = {}): Promise<Page<Comment>> {
      return this.request<Page<Comment>>('GET', `${jobPath(id)}/comments${searchOf(query)}`, { scoped: true });
    }

    /** `POST /v1/jobs/{id}/comments`. */
    addComment(id: string, body: string): Promise<Comment> {
      return this.request<Comment>('POST', `${jobPath(id)}/comments`, { body: { body }, scoped: true });
    }

    /** `GET /v1/jobs/{id}/activity`: what happened to the job and who did what, oldest first. */
    async jobActivity(id: string): Promise<ActivityEntry[]> {
      return (await this.request<{ items: ActivityEntry[] }>('GET', `${jobPath(id)}/activity`, { scoped: true })).items;
    }

    /** `POST /v1/jobs/{id}/claim`: "I'm on it"; `409 job_claimed` names who holds it. */
    claimJob(id: string): Promise<Job> {
      return this.request<Job>('POST', `${jobPath(id)}/claim`, { scoped: true });
    }

    /** `DELETE /v1/jobs/{id}/claim`. */
    releaseJob(id: string): Promise<Job> {
      return this.request<Job>('DELETE', `${jobPath(id)}/claim`, { scoped: true });
    }

    /** `POST /v1/jobs/{id}/cancel`. */
    cancelJob(id: string): Promise<Job> {
      return this.request<Job>('POST', `${jobPath(id)}/cancel`, { scoped: true });
    }

    /** `POST /v1/jobs/{id}/retry`. */
    retryJob(id: string): Promise<Job> {
      return this.request<Job>('POST', `${jobPath(id)}/retry`, { scoped: true });
    }

    /** `POST /v1/jobs/{id}/promote`: a delayed job runs now. */
    promoteJob(id: string): Promise<Job> {
      return this.request<Job>('POST', `${jobPath(id)}/promote`, { scoped: true });
    }

    /** `POST /v1/jobs/{id}/token`: a token to watch this one job, e.g. with `<fd-job-status>`. */
    createJobToken(id: string): Promise<JobToken> {
      return this.request<JobToken>('POST', `${jobPath(id)}/token`, { body: {}, scoped: true });
    }

    /** `POST /v1/jobs/bulk`: at most 200 ids; each result says whether that job was acted on. */
    async bulkJobs(input: { action: BulkAction; ids: readonly string[] }): Promise<BulkResult[]> {
      return (await this.request<{ results: BulkResult[] }>('POST', '/v1/jobs/bulk', { body: input, scoped: true }))
        .results;
    }

    /** `GET /v1/activity`: the workspace's activity, newest first; `nextCursor` reads older entries. */
    listActivity(query: Partial<ListActivityQuery> = {}): Promise<ActivityFeed> {
      return this.request<ActivityFeed>('GET', `/v1/activity${searchOf(query)}`, { scoped: true });
    }
  }
  return Jobs;
}
