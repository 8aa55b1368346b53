import { z } from 'zod';
import type { ErrorBody } from './errors';
import { jobTypeNameSchema, registerJobTypeSchema } from './job-type-schemas';

/**
 * The protocol between a workspace's own workers (the SDK's `startWorker`) and Flightdeck's gateway:
 * Socket.IO at path `/workers/socket.io`, `auth: { token: <API key with scope workers:run> }`. The
 * server holds each BullMQ job on the worker's behalf and sends it a job only while it runs fewer
 * than its concurrency.
 */
export const WORKER_SOCKET_PATH = '/workers/socket.io';

export const WORKER_LIMITS = { maxConcurrency: 100, maxTypes: 50, maxLogLineBytes: 8192 } as const;

/** `hello`: what the worker runs (each type registered as `PUT /v1/job-types/{name}` would) and how many at once. */
export const workerHelloSchema = z.strictObject({
  sdkVersion: z.string().min(1).max(40),
  concurrency: z.number().int().min(1).max(WORKER_LIMITS.maxConcurrency),
  types: z
    .array(z.strictObject({ name: jobTypeNameSchema, registration: registerJobTypeSchema }))
    .min(1)
    .max(WORKER_LIMITS.maxTypes),
});
export type WorkerHello = z.infer<typeof workerHelloSchema>;

export type WorkerHelloAck =
  | { ok: true; workerId: string; types: { name: string; version: number; queue: string }[] }
  | ({ ok: false } & ErrorBody);

/** A job sent to a worker: `dispatchId` names this attempt on this worker in every report about it. */
export interface WorkerJob {
  dispatchId: string;
  jobId: string;
  type: string;
  version: number;
  payload: Record<string, unknown>;
  /** 1 for the first attempt. */
  attempt: number;
}

const dispatchId = z.string().min(1).max(64);
export const workerProgressSchema = z.strictObject({ dispatchId, percent: z.number().min(0).max(100) });
export const workerLogSchema = z.strictObject({ dispatchId, line: z.string().max(WORKER_LIMITS.maxLogLineBytes * 4) });
export const workerCompleteSchema = z.strictObject({ dispatchId, result: z.unknown() });
export const workerFailSchema = z.strictObject({
  dispatchId,
  message: z.string().max(4096),
  stack: z.string().max(16_384).optional(),
  /** No retry: the payload or the result broke its schema, or the handler said so. */
  unrecoverable: z.boolean().optional(),
});

export type WorkerAck = { ok: true } | ({ ok: false } & ErrorBody);

/** Events a worker sends. Reports of a dispatch that is no longer the worker's are answered `not_found`. */
export interface WorkerToServerEvents {
  hello: (hello: WorkerHello, ack: (answer: WorkerHelloAck) => void) => void;
  progress: (report: z.infer<typeof workerProgressSchema>) => void;
  log: (report: z.infer<typeof workerLogSchema>) => void;
  complete: (report: z.infer<typeof workerCompleteSchema>, ack: (answer: WorkerAck) => void) => void;
  fail: (report: z.infer<typeof workerFailSchema>, ack: (answer: WorkerAck) => void) => void;
  /** The worker is closing: send it no more jobs (the ones it runs go on until it reports them). */
  drain: (request: Record<string, never>, ack: (answer: WorkerAck) => void) => void;
}

/** Events the server sends a worker. */
export interface ServerToWorkerEvents {
  job: (job: WorkerJob) => void;
  /** Stop the dispatch (cancelled, timed out, or handed back): its reports are ignored from now. */
  cancel: (notice: { dispatchId: string; reason: string }) => void;
}
