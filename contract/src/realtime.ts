import type { ErrorBody } from './errors';
import type { StreamEvent } from './events';

export type SubscribeRequest = { topic: 'workspace'; since?: number } | { topic: 'job'; id: string; since?: number };

export type SubscribeAck = { ok: true; seq: number } | ({ ok: false } & ErrorBody);

export interface ResyncNotice {
  topic: 'workspace' | 'job';
  id?: string;
  reason: 'gap' | 'overflow';
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
}

/** Room names, built only here. A socket joins a room only after it was authorized for it. */
export const rooms = {
  workspace: (workspaceId: string) => `ws:${workspaceId}`,
  job: (workspaceId: string, jobId: string) => `ws:${workspaceId}:job:${jobId}`,
};
