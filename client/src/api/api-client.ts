import { AccountsCalls } from './accounts-api';
import { ApiTransport, type ApiClientOptions } from './api-transport';
import { JobsCalls } from './jobs-api';
import { OpsCalls } from './ops-api';
import { SavedViewsCalls } from './saved-views-api';

// What components import: each area's interfaces and the errors, from one place.
export type {
  ApiKeysApi,
  AuthApi,
  CreatedApiKey,
  MembersApi,
  MyWorkspace,
  SessionAnswer,
  WorkspacesApi,
} from './accounts-api';
export { ApiError, apiErrorFrom, retryAfterSeconds } from './api-error';
export type { ApiClientOptions, ApiRequester, RequestOptions } from './api-transport';
export type {
  ActivityApi,
  BulkJobsApi,
  JobDetailsApi,
  JobList,
  JobsApi,
  JobToken,
  ListJobsQuery,
  Page,
} from './jobs-api';
export type { OpsApi } from './ops-api';
export type { SavedViewsApi } from './saved-views-api';

/**
 * The REST API, as an API key or the signed-in person sees it. With a key, every call acts in the
 * key's workspace; with a session, workspace-scoped calls act in `options.workspace`.
 *
 * One façade over the areas' calls (accounts-api.ts, jobs-api.ts, ops-api.ts, saved-views-api.ts),
 * each a mixin over the {@link ApiTransport}; newer areas (fair-share-api.ts) are clients of their own
 * that take this one's requests.
 */
export class ApiClient extends AccountsCalls(JobsCalls(OpsCalls(SavedViewsCalls(ApiTransport)))) {
  constructor(options: ApiClientOptions = {}) {
    super(options);
  }

  /** The workspace that workspace-scoped session calls act in. */
  get workspace(): string | undefined {
    return this.options.workspace;
  }

  /** The same credentials acting in another workspace. */
  forWorkspace(workspace: string): ApiClient {
    return new ApiClient({ ...this.options, workspace });
  }
}
