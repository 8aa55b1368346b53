import type { FairShare, SetWorkspaceLimits, WorkspaceLimitsAnswer } from '@flightdeck/contract';
import { ApiClient } from './api-client';
import type { ApiRequester } from './api-transport';

/** Fair share between workspaces: what each gets of the workers, and the limits operators set. */
export interface FairShareApi {
  /** `GET /v1/fair-share`: every workspace for an operator, else the caller's own. */
  getFairShare(): Promise<FairShare>;
  /** `PUT /v1/workspaces/{id}/limits` (operators): the limits, replaced whole (`null`: the default). */
  setWorkspaceLimits(workspaceId: string, limits: SetWorkspaceLimits): Promise<WorkspaceLimitsAnswer>;
}

/** The fair-share calls, made with an {@link ApiClient}'s credentials. */
export class FairShareClient implements FairShareApi {
  constructor(private readonly client: ApiRequester) {}

  getFairShare(): Promise<FairShare> {
    return this.client.request<FairShare>('GET', '/v1/fair-share', { scoped: true });
  }

  setWorkspaceLimits(workspaceId: string, limits: SetWorkspaceLimits): Promise<WorkspaceLimitsAnswer> {
    return this.client.request<WorkspaceLimitsAnswer>(
      'PUT',
      `/v1/workspaces/${encodeURIComponent(workspaceId)}/limits`,
      {
        body: limits,
        scoped: true,
      },
    );
  }
}

const clients = new WeakMap<ApiClient, FairShareClient>();

const isFairShareApi = (api: object): api is FairShareApi =>
  typeof (api as Partial<FairShareApi>).getFairShare === 'function' &&
  typeof (api as Partial<FairShareApi>).setWorkspaceLimits === 'function';

/**
 * The fair-share calls that go with an API the console hands a view: the same client when it has
 * them already (a test's stand-in), one made with the {@link ApiClient}'s credentials (the same one
 * each time, so a view does not start over), else none.
 */
export function fairShareApiOf(api: object | undefined): FairShareApi | undefined {
  if (!api) return undefined;
  if (isFairShareApi(api)) return api;
  if (!(api instanceof ApiClient)) return undefined;
  let client = clients.get(api);
  if (!client) clients.set(api, (client = new FairShareClient(api)));
  return client;
}
