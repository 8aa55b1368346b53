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

/** Sent just before the gateway disconnects a socket whose credentials were revoked (do not reconnect with them). */
export interface RevokedNotice {
  reason: 'apiKey' | 'session' | 'member' | 'workspace';
}

/** What a person is looking at: the workspace (`jobId: null`) or one job. */
export const presenceRequestSchema = z.strictObject({ jobId: z.string().min(1).max(64).nullable() });
export type PresenceRequest = z.infer<typeof presenceRequestSchema>;

/** Who is online in the workspace right now, and which jobs each has open. */
export interface PresenceSnapshot {
  members: { id: string; name: string; jobIds: string[] }[];
}

export type PresenceAck = ({ ok: true } & PresenceSnapshot) | ({ ok: false } & ErrorBody);

export const typingRequestSchema = z.strictObject({ jobId: z.string().min(1).max(64) });

/** Typing needs no answer; a client that passes an ack anyway is told whether it went out. */
export type TypingAck = { ok: true } | ({ ok: false } & ErrorBody);

/** Someone is writing a comment on a job (sent at most every few seconds while they type). */
export interface TypingNotice {
  jobId: string;
  user: { id: string; name: string };
}

/** Events a client sends to the gateway. */
export interface ClientToServerEvents {
  subscribe: (request: SubscribeRequest, ack: (answer: SubscribeAck) => void) => void;
  unsubscribe: (request: SubscribeRequest, ack?: (answer: SubscribeAck) => void) => void;
  /** Says what this connection is looking at; the ack carries the workspace's presence. */
  presence: (request: PresenceRequest, ack?: (answer: PresenceAck) => void) => void;
  typing: (request: { jobId: string }, ack?: (answer: TypingAck) => void) => void;
}

/**
 * Every event a client may send. Any other name is not processed; when it carries an ack, the ack is
 * `{ ok: false, error: { code: 'route_not_found' } }` (as an unknown REST route is).
 */
export const CLIENT_EVENTS = [
  'subscribe',
  'unsubscribe',
  'presence',
  'typing',
] as const satisfies readonly (keyof ClientToServerEvents)[];
export type ClientEventName = (typeof CLIENT_EVENTS)[number];

/** Events the gateway sends to a client. */
export interface ServerToClientEvents {
  event: (event: StreamEvent) => void;
  resync: (notice: ResyncNotice) => void;
  reconnect: (notice: ReconnectNotice) => void;
  revoked: (notice: RevokedNotice) => void;
  /** The workspace's presence, whenever it changes (to sockets that said where they are). */
  presence: (snapshot: PresenceSnapshot) => void;
  typing: (notice: TypingNotice) => void;
}

/** Room names, built only here. A socket joins a room only after it was authorized for it. */
export const rooms = {
  workspace: (workspaceId: string) => `ws:${workspaceId}`,
  job: (workspaceId: string, jobId: string) => `ws:${workspaceId}:job:${jobId}`,
};
