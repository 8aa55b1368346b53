import { z } from 'zod';
import type { ErrorBody } from './errors';
import type { StreamEvent } from './events';

const since = z.number().int().min(0).optional();

/** What `subscribe` (and `unsubscribe`) accept: the whole workspace, or one job; `since` resumes after that seq. */
export const subscribeRequestSchema = z.discriminatedUnion('topic', [
  z.strictObject({ topic: z.literal('workspace'), since }),
  z.strictObject({ topic: z.literal('job'), id: z.string().min(1).max(64), since }),
]);
export type SubscribeRequest = z.infer<typeof subscribeRequestSchema>;

export type SubscribeAck = { ok: true; seq: number } | ({ ok: false } & ErrorBody);

export interface ResyncNotice {
  topic: 'workspace' | 'job';
  id?: string;
  reason: 'gap' | 'overflow';
}

/**
 * Sent just before the gateway disconnects the socket because it is shutting down (scale-in, rollout):
 * connect again (the load balancer routes to another gateway) and resubscribe with `since`.
 */
export interface ReconnectNotice {
  reason: 'shutdown';
}

/** Events a client sends to the gateway. */
export interface ClientToServerEvents {
  subscribe: (request: SubscribeRequest, ack: (answer: SubscribeAck) => void) => void;
  unsubscribe: (request: SubscribeRequest, ack?: (answer: SubscribeAck) => void) => void;
}

/** Events the gateway sends to a client. */
export interface ServerToClientEvents {
  event: (event: StreamEvent) => void;
  resync: (notice: ResyncNotice) => void;
  reconnect: (notice: ReconnectNotice) => void;
}

/** Room names, built only here. A socket joins a room only after it was authorized for it. */
export const rooms = {
  workspace: (workspaceId: string) => `ws:${workspaceId}`,
  job: (workspaceId: string, jobId: string) => `ws:${workspaceId}:job:${jobId}`,
};
