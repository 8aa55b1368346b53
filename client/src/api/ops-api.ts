import type { OpsOverview, QueueDrain, QueueOverview } from '../ops/ops-overview';
import type { Requesting } from './api-transport';

/** The deployment's queues, gateways and workers (the ops view), and pausing or draining a queue. */
export interface OpsApi {
  getOps(): Promise<OpsOverview>;
  pauseQueue(name: string): Promise<QueueOverview>;
  resumeQueue(name: string): Promise<QueueOverview>;
  drainQueue(name: string, input: { delayed: boolean }): Promise<QueueDrain>;
}

const queuePath = (name: string) => `/v1/queues/${encodeURIComponent(name)}`;

/** The ops calls (the overview and the queue actions), for the {@link ApiClient}. */
export function OpsCalls<Base extends Requesting>(base: Base) {
  abstract class Ops extends base implements OpsApi {
    /** `GET /v1/ops`: queue depth and scaling, gateways, workers running vs desired. */
    getOps(): Promise<OpsOverview> {
      return this.request<OpsOverview>('GET', '/v1/ops', { scoped: true });
    }

    /** `POST /v1/queues/{name}/pause`: workers take no new jobs from it; the queue after the action. */
    pauseQueue(name: string): Promise<QueueOverview> {
      return this.request<QueueOverview>('POST', `${queuePath(name)}/pause`, { scoped: true });
    }

    /** `POST /v1/queues/{name}/resume`. */
    resumeQueue(name: string): Promise<QueueOverview> {
      return this.request<QueueOverview>('POST', `${queuePath(name)}/resume`, { scoped: true });
    }

    /**
     * `POST /v1/queues/{name}/drain`: cancels every job waiting in the queue (and delayed ones when
     * `delayed`), whichever workspace it belongs to; the queue after it, and how many were cancelled.
     */
    drainQueue(name: string, input: { delayed: boolean }): Promise<QueueDrain> {
      return this.request<QueueDrain>('POST', `${queuePath(name)}/drain`, { body: input, scoped: true });
    }
  }
  return Ops;
}
