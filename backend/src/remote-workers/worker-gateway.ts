import type http from 'node:http';
import { randomBytes } from 'node:crypto';
import { Server, type Socket } from 'socket.io';
import type { Logger } from 'pino';
import type { z } from 'zod';
import {
  WORKER_SOCKET_PATH,
  workerCompleteSchema,
  workerFailSchema,
  workerHelloSchema,
  workerLogSchema,
  workerProgressSchema,
  type ServerToWorkerEvents,
  type WorkerAck,
  type WorkerToServerEvents,
} from '@flightdeck/contract';
import { can, type Identity } from '../accounts/identity';
import type { Revocation, RevocationBus } from '../accounts/revocations';
import { handshakeAuthenticator, type HandshakeOptions } from '../gateway/socket-handshake';
import { EventBudget } from '../gateway/socket-input';
import { JobTypeLimitError, JobTypeNameTakenError, type JobTypeRegistry } from '../job-types/job-type-registry';
import { depthOf, InvalidJsonSchemaError, MAX_PAYLOAD_DEPTH } from '../job-types/json-schema-checker';
import type { RemoteSession, RemoteWorkerPool } from './remote-worker-pool';
import type { RemoteWorkerRoster } from './remote-worker-roster';

interface WorkerSocketData {
  identity: Identity;
  session?: RemoteSession;
}
type WorkerSocket = Socket<WorkerToServerEvents, ServerToWorkerEvents, Record<string, never>, WorkerSocketData>;

export interface WorkerGatewayOptions extends HandshakeOptions {
  pool: RemoteWorkerPool;
  registry: JobTypeRegistry;
  roster: RemoteWorkerRoster;
  revocations: RevocationBus;
}

export interface WorkerGateway {
  connections(): number;
  /** Disconnects the workers and stops the pool: jobs still running after `timeoutMs` go back to their queues. */
  close(timeoutMs: number): Promise<void>;
}

/** Progress reports and log lines one worker connection may send per second, all its jobs together. */
const WORKER_REPORTS_PER_SECOND = 2_000;

/** Results and payloads travel here: as large as a REST body. */
const MAX_WORKER_MESSAGE_BYTES = 1_048_576;

const refuse = (code: string, message: string) =>
  Object.assign(new Error(`${code}: ${message}`), { data: { code, message } });

/**
 * The gateway of a workspace's own workers (path `/workers/socket.io`, see contract/src/worker-protocol.ts):
 * authenticates them by API key (scope `workers:run`), registers the types each says it runs, and
 * relays jobs to them and their reports back through the RemoteWorkerPool.
 */
export function startWorkerGateway(server: http.Server, options: WorkerGatewayOptions): WorkerGateway {
  const { pool, registry, roster, logger } = options;
  const io = new Server<WorkerToServerEvents, ServerToWorkerEvents, Record<string, never>, WorkerSocketData>(server, {
    path: WORKER_SOCKET_PATH,
    serveClient: false,
    maxHttpBufferSize: MAX_WORKER_MESSAGE_BYTES,
    // The default gateway's engine answers only its own path; this one must not end upgrades it does not answer.
    destroyUpgrade: false,
  });
  const authenticate = handshakeAuthenticator(options);
  io.use(async (socket, next) => {
    const identity = await authenticate(socket);
    if (identity instanceof Error) return next(identity);
    if (identity.kind !== 'apiKey' || !can(identity, 'job-types:write'))
      return next(refuse('forbidden', 'workers connect with an API key that has the scope workers:run'));
    socket.data.identity = identity;
    next();
  });

  // A revoked key (or deleted workspace) ends its workers' connections at once; their jobs go back.
  void options.revocations.listen((revocation: Revocation) => {
    for (const socket of io.sockets.sockets.values()) {
      const { identity } = socket.data;
      const gone =
        (revocation.kind === 'apiKey' && identity.kind === 'apiKey' && identity.keyId === revocation.keyId) ||
        (revocation.kind === 'workspace' && identity.workspaceId === revocation.workspaceId);
      if (gone) socket.disconnect(true);
    }
  });

  io.on('connection', (socket: WorkerSocket) => {
    const { workspaceId } = socket.data.identity;
    const log = logger.child({ worker: socket.id, workspaceId });

    socket.on('hello', async (raw, ack) => {
      if (typeof ack !== 'function') return;
      const hello = workerHelloSchema.safeParse(raw);
      if (!hello.success) return ack(failure('validation_failed', hello.error.issues[0]?.message ?? 'bad hello'));
      if (socket.data.session) return ack(failure('validation_failed', 'this connection said hello already'));
      try {
        const registered = [];
        for (const { name, registration } of hello.data.types)
          registered.push((await registry.register(workspaceId, name, registration)).type);
        const types = new Map<string, Map<string, number>>();
        for (const type of registered) {
          const names = types.get(type.queue) ?? new Map<string, number>();
          names.set(type.name, type.version);
          types.set(type.queue, names);
        }
        const session: RemoteSession = {
          id: `${socket.id}:${randomBytes(4).toString('hex')}`,
          workspaceId,
          concurrency: hello.data.concurrency,
          sdkVersion: hello.data.sdkVersion,
          types,
          send: (job) => socket.emit('job', job),
          cancel: (dispatchId, reason) => socket.emit('cancel', { dispatchId, reason }),
        };
        if (!socket.connected) return;
        socket.data.session = session;
        await pool.join(session);
        roster.add(session, () => pool.inFlight(session));
        log.info(
          { concurrency: session.concurrency, types: registered.map((type) => type.name) },
          'remote worker joined',
        );
        ack({
          ok: true,
          workerId: session.id,
          types: registered.map((type) => ({ name: type.name, version: type.version, queue: type.queue })),
        });
      } catch (error) {
        ack(registrationFailure(error, log));
      }
    });

    const reportOf = <Schema extends z.ZodType>(schema: Schema, raw: unknown) => {
      const session = socket.data.session;
      const report = schema.safeParse(raw);
      if (!session || !report.success) return undefined;
      const data = report.data as z.infer<Schema> & { dispatchId: string };
      const dispatch = pool.dispatchOf(session, data.dispatchId);
      return dispatch ? { dispatch, data } : undefined;
    };
    // Progress and log lines past the budget are dropped (the reporter coalesces progress anyway);
    // a worker's ends (`complete`, `fail`) are never refused: a lost one would hold its job.
    const reports = new EventBudget(WORKER_REPORTS_PER_SECOND);
    let dropped = 0;
    const withinBudget = () => {
      if (reports.spend()) return true;
      if (dropped++ % 1_000 === 0) log.warn({ dropped }, 'remote worker sends too many progress and log reports');
      return false;
    };
    socket.on('progress', (raw) => {
      if (!withinBudget()) return;
      const found = reportOf(workerProgressSchema, raw);
      if (found && !found.dispatch.stopped) found.dispatch.context.progress(found.data.percent);
    });
    socket.on('log', (raw) => {
      if (!withinBudget()) return;
      const found = reportOf(workerLogSchema, raw);
      if (found && !found.dispatch.stopped) found.dispatch.context.log(found.data.line);
    });
    socket.on('complete', (raw, ack) => {
      const found = reportOf(workerCompleteSchema, raw);
      // The result is stored and sent as JSON: one too deep to write is the handler's failure.
      if (found && depthOf(found.data.result, MAX_PAYLOAD_DEPTH) > MAX_PAYLOAD_DEPTH)
        pool.failed(found.dispatch, { message: 'the result nests too deeply', unrecoverable: true });
      else if (found) pool.completed(found.dispatch, found.data.result);
      if (typeof ack === 'function') ack(found ? { ok: true } : failure('not_found', 'no such job running here'));
    });
    socket.on('fail', (raw, ack) => {
      const found = reportOf(workerFailSchema, raw);
      if (found) pool.failed(found.dispatch, found.data);
      if (typeof ack === 'function') ack(found ? { ok: true } : failure('not_found', 'no such job running here'));
    });
    socket.on('drain', (_request, ack) => {
      if (socket.data.session) pool.drain(socket.data.session);
      if (typeof ack === 'function') ack({ ok: true });
    });
    socket.on('disconnect', (reason) => {
      const session = socket.data.session;
      if (!session) return;
      log.info({ reason, inFlight: pool.inFlight(session) }, 'remote worker left');
      roster.remove(session);
      // A worker that left on purpose (closing) is not coming back: no grace for its jobs.
      pool.leave(session, reason === 'client namespace disconnect' ? 0 : undefined);
    });
  });

  return {
    connections: () => io.engine.clientsCount,
    async close(timeoutMs) {
      roster.stop();
      io.disconnectSockets(true);
      await pool.close(timeoutMs);
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}

function failure(
  code: 'validation_failed' | 'not_found' | 'limit_reached' | 'job_type_reserved' | 'internal_error',
  message: string,
) {
  return { ok: false as const, error: { code, message } } satisfies WorkerAck;
}

function registrationFailure(error: unknown, log: Logger) {
  if (error instanceof InvalidJsonSchemaError) return failure('validation_failed', error.message);
  if (error instanceof JobTypeNameTakenError) return failure('job_type_reserved', error.message);
  if (error instanceof JobTypeLimitError) return failure('limit_reached', error.message);
  log.error({ err: error }, 'remote worker registration failed');
  return failure('internal_error', 'could not register the types');
}
