import type http from 'node:http';
import { Server, type Socket } from 'socket.io';
import {
  rooms,
  subscribeRequestSchema,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type StreamEvent,
  type SubscribeAck,
  type SubscribeRequest,
} from '@flightdeck/contract';
import { can, canSeeJob, type Identity } from '../accounts/identity';
import { DomainError } from '../domain-errors';
import type { Revocation, RevocationBus } from '../accounts/revocations';
import type { JobReader } from '../jobs/job-reader';
import { realtimeConnections, realtimeEventsDelivered, socketBufferedPackets } from '../metrics';
import { PresenceHub } from './presence-hub';
import { SerialQueue } from './serial-queue';
import { handshakeAuthenticator, type HandshakeOptions } from './socket-handshake';
import { failure, failureOf, guardIncomingEvents, MAX_CLIENT_MESSAGE_BYTES, onRequest } from './socket-input';
import { WorkspaceEventLog } from './workspace-event-log';
import { WorkspaceTailer } from './workspace-tailer';
import { dedicatedConnection } from '../redis-connections';

interface SocketData {
  identity: Identity;
}
type GatewaySocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type GatewayServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface RealtimeGatewayOptions extends HandshakeOptions {
  revocations: RevocationBus;
  /** Events a socket may send per second. */
  eventsPerSecond: number;
  jobs: JobReader;
  /** Packets a socket may have waiting to be written before it is dropped to a resync. */
  maxBufferedPackets: number;
  /** On close: how long to wait before the first disconnect (the load balancer sees readiness fail). */
  drainDelayMs: number;
  /** On close: the time over which the sockets are disconnected, in batches. */
  drainMs: number;
}

/** How many batches a drain disconnects the sockets in. */
export const DRAIN_BATCHES = 10;

/**
 * Subscription changes a socket may have waiting (they run one at a time, and a job subscription reads
 * MongoDB): enough for a burst of SOCKET_EVENTS_PER_SECOND while the database is slow; past it, the
 * change is answered `rate_limited` and dropped.
 */
export const MAX_PENDING_SUBSCRIPTION_CHANGES = 500;

/** The longest delay setTimeout takes (2^31 − 1 ms); longer ones fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface RealtimeGateway {
  connections(): number;
  close(): Promise<void>;
}

/**
 * The Socket.io gateway: authenticates the handshake, authorizes each subscription by workspace,
 * replays retained events after `since`, then delivers live events to rooms. Every gateway process
 * reads the workspace streams itself, so a client sees the same events whichever gateway it is on.
 */
export function startRealtimeGateway(server: http.Server, options: RealtimeGatewayOptions): RealtimeGateway {
  const { keys, logger } = options;
  const io: GatewayServer = new Server(server, {
    path: '/socket.io',
    serveClient: false,
    maxHttpBufferSize: MAX_CLIENT_MESSAGE_BYTES,
  });
  const log = new WorkspaceEventLog(options.redis, keys);
  const reader = dedicatedConnection(options.redis, { maxRetriesPerRequest: null });
  reader.on('error', (error) => logger.warn({ err: error }, 'gateway redis connection error'));

  const deliver = (workspaceId: string, events: StreamEvent[], gap: boolean) => {
    if (gap) {
      io.to(rooms.workspace(workspaceId)).emit('resync', { topic: 'workspace', reason: 'gap' });
      // What was trimmed may have concerned any job, so every job subscriber resyncs too.
      const jobRoom = rooms.job(workspaceId, '');
      for (const room of io.of('/').adapter.rooms.keys()) {
        if (room.startsWith(jobRoom)) {
          io.to(room).emit('resync', { topic: 'job', id: room.slice(jobRoom.length), reason: 'gap' });
        }
      }
      return;
    }
    for (const event of events) {
      const targets = [rooms.workspace(workspaceId)];
      if (event.jobId) targets.push(rooms.job(workspaceId, event.jobId));
      io.to(targets).emit('event', event);
    }
    realtimeEventsDelivered.inc(events.length);
  };
  const tailer = new WorkspaceTailer(reader, options.redis, keys, deliver, logger);
  tailer.start();

  const authenticate = handshakeAuthenticator(options);
  io.use(async (socket, next) => {
    const identity = await authenticate(socket);
    if (identity instanceof Error) return next(identity);
    socket.data.identity = identity;
    next();
  });

  // Credentials revoked anywhere end the sockets that use them here, at once.
  const revoked = (identity: Identity, revocation: Revocation): boolean => {
    switch (revocation.kind) {
      case 'apiKey':
        return identity.kind === 'apiKey' && identity.keyId === revocation.keyId;
      case 'session':
        return identity.kind === 'user' && identity.sessionId === revocation.sessionId;
      case 'member':
        return (
          identity.kind === 'user' &&
          identity.userId === revocation.userId &&
          identity.workspaceId === revocation.workspaceId
        );
      case 'workspace':
        return identity.workspaceId === revocation.workspaceId;
    }
  };
  void options.revocations.listen((revocation) => {
    for (const socket of io.of('/').sockets.values()) {
      if (!revoked(socket.data.identity, revocation)) continue;
      socket.emit('revoked', { reason: revocation.kind });
      socket.disconnect(true);
    }
  });

  /**
   * Replays what the client missed, then joins it to the live room with no gap and no duplicate:
   * the join happens in the same tick as the last catch-up step, when the tailer's position is known.
   */
  async function subscribe(socket: GatewaySocket, request: SubscribeRequest): Promise<SubscribeAck> {
    const { identity } = socket.data;
    const { workspaceId } = identity;
    if (request.topic === 'workspace' && identity.kind === 'jobToken') {
      return failure('forbidden', 'a job token subscribes only to its own job');
    }
    // Events carry whole jobs: the same permission as reading them over REST (keys need jobs:read).
    if (!can(identity, 'jobs:read')) {
      return failure('forbidden', 'these credentials may not read jobs ("jobs:read")');
    }
    if (
      request.topic === 'job' &&
      (!canSeeJob(identity, request.id) || !(await options.jobs.find(workspaceId, request.id)))
    ) {
      return failure('not_found', `job ${request.id} not found`);
    }
    const room = request.topic === 'job' ? rooms.job(workspaceId, request.id) : rooms.workspace(workspaceId);
    const mine = (event: StreamEvent) => request.topic === 'workspace' || event.jobId === request.id;
    const notice =
      request.topic === 'job' ? { topic: 'job' as const, id: request.id } : { topic: 'workspace' as const };

    let seq: number;
    if (request.since === undefined) {
      seq = tailer.position(workspaceId) ?? (await log.currentSeq(workspaceId));
    } else {
      const caught = await log.since(workspaceId, request.since);
      if (caught.gap) socket.emit('resync', { ...notice, reason: 'gap' });
      for (const event of caught.events) if (mine(event)) socket.emit('event', event);
      seq = caught.seq;
    }
    for (;;) {
      const position = tailer.position(workspaceId);
      if (position === undefined) {
        tailer.follow(workspaceId, seq);
        break;
      }
      if (position < seq) {
        // The client was sent more from Redis than the tailer has delivered: joining now would repeat it.
        await tailer.reached(workspaceId, seq);
        continue;
      }
      const missed = tailer.deliveredSince(workspaceId, seq);
      if (missed) {
        for (const event of missed) if (mine(event)) socket.emit('event', event);
        seq = Math.max(seq, position);
        break;
      }
      // The tailer is further ahead than it remembers: read the rest from Redis and try again.
      const more = await log.since(workspaceId, seq);
      if (more.gap) socket.emit('resync', { ...notice, reason: 'gap' });
      for (const event of more.events) if (mine(event)) socket.emit('event', event);
      seq = more.seq;
    }
    if (socket.disconnected) {
      // Gone while catching up: joining now would leave a room (and a followed stream) behind for good.
      forgetIdleWorkspace(workspaceId);
      return failure('service_unavailable', 'disconnected');
    }
    await socket.join(room);
    return { ok: true, seq };
  }

  const presence = new PresenceHub(io as unknown as Server, options.redis, keys, logger.child({ part: 'presence' }));

  io.on('connection', (socket) => {
    realtimeConnections.inc();
    // The typed socket, seen as the untyped one that raw client input arrives on.
    const input = socket as unknown as Socket;
    // Before any handler: the per-socket event budget, and an answer for events nobody handles.
    guardIncomingEvents(input, options.eventsPerSecond);
    presence.attach(input, socket.data.identity);
    // One subscription change at a time per socket, in the order the client sent them.
    const changes = new SerialQueue(MAX_PENDING_SUBSCRIPTION_CHANGES);
    const serially = (work: () => Promise<void>, answer: (ack: SubscribeAck) => void) =>
      changes.run(work) ?? answer(failure('rate_limited', 'too many subscription changes waiting; slow down'));

    // Job tokens and sessions open the socket only until they expire: then it ends too (reconnecting
    // is refused). Timers beyond setTimeout's range (~24.8 days) are not set: such a socket ends at its
    // next reconnect.
    const { identity } = socket.data;
    const untilExpiry = identity.kind === 'apiKey' || !identity.expiresAt ? Infinity : identity.expiresAt - Date.now();
    const expiry =
      untilExpiry < MAX_TIMER_MS
        ? setTimeout(() => socket.disconnect(true), Math.max(0, untilExpiry)).unref()
        : undefined;

    onRequest<typeof subscribeRequestSchema, SubscribeAck>(
      input,
      'subscribe',
      subscribeRequestSchema,
      logger,
      (request, answer) =>
        serially(async () => {
          try {
            answer(await subscribe(socket, request));
          } catch (error) {
            if (error instanceof DomainError) return answer(failureOf(error));
            logger.warn({ err: error }, 'subscribe failed');
            answer(failure('service_unavailable', 'could not subscribe; try again shortly'));
          }
        }, answer),
    );

    onRequest<typeof subscribeRequestSchema, SubscribeAck>(
      input,
      'unsubscribe',
      subscribeRequestSchema,
      logger,
      (request, answer) => {
        const { workspaceId } = socket.data.identity;
        return serially(async () => {
          await socket.leave(
            request.topic === 'job' ? rooms.job(workspaceId, request.id) : rooms.workspace(workspaceId),
          );
          answer({ ok: true, seq: tailer.position(workspaceId) ?? 0 });
        }, answer);
      },
    );

    socket.on('disconnect', () => {
      clearTimeout(expiry);
      realtimeConnections.dec();
      forgetIdleWorkspace(socket.data.identity.workspaceId);
    });
  });

  /**
   * Scale-in without a stampede: after `drainDelayMs`, disconnects the sockets in DRAIN_BATCHES batches
   * spread over `drainMs`, each told first to reconnect (elsewhere: this server no longer accepts
   * connections) and resume with `since`. Events keep flowing to the sockets not yet disconnected.
   */
  async function drain(): Promise<void> {
    const live = () => [...io.of('/').sockets.values()];
    if (live().length === 0) return;
    await sleep(options.drainDelayMs);
    const total = live().length;
    const size = Math.max(1, Math.ceil(total / DRAIN_BATCHES));
    logger.info({ sockets: total, batchSize: size, drainMs: options.drainMs }, 'draining sockets');
    for (let batch = 0; batch < DRAIN_BATCHES; batch++) {
      if (batch > 0) await sleep(options.drainMs / DRAIN_BATCHES);
      const sockets = live();
      if (sockets.length === 0) break;
      // The last batch takes whatever is left.
      for (const socket of batch === DRAIN_BATCHES - 1 ? sockets : sockets.slice(0, size)) {
        socket.emit('reconnect', { reason: 'shutdown' });
        socket.disconnect(true);
      }
    }
    logger.info({ sockets: total }, 'sockets drained');
  }

  /** Stops following a workspace once no local socket is in any of its rooms. */
  function forgetIdleWorkspace(workspaceId: string): void {
    const prefix = rooms.workspace(workspaceId);
    for (const [room, members] of io.of('/').adapter.rooms) {
      if (members.size > 0 && (room === prefix || room.startsWith(`${prefix}:`))) return;
    }
    tailer.unfollow(workspaceId);
  }

  // A slow client never slows the others: past the bound, its backlog of events is dropped, it leaves
  // its rooms and is told to resync (once; it is eligible again when it subscribes again).
  const sweep = setInterval(() => {
    let totalBuffered = 0;
    for (const socket of io.of('/').sockets.values()) {
      const connection = socket.conn as unknown as { writeBuffer?: { type: string }[] };
      const buffered = connection.writeBuffer?.length ?? 0;
      totalBuffered += buffered;
      if (buffered <= options.maxBufferedPackets || socket.rooms.size <= 1) continue;
      // Engine.io keeps its own packets (ping, pong, close); socket.io's events are its "message"s.
      connection.writeBuffer = connection.writeBuffer!.filter((packet) => packet.type !== 'message');
      for (const room of socket.rooms) if (room !== socket.id) void socket.leave(room);
      socket.emit('resync', { topic: 'workspace', reason: 'overflow' });
      logger.warn({ socket: socket.id, buffered }, 'slow socket dropped to resync');
    }
    socketBufferedPackets.set(totalBuffered);
  }, 500);
  sweep.unref();

  return {
    connections: () => io.of('/').sockets.size,
    async close() {
      clearInterval(sweep);
      await drain();
      await presence.close();
      await tailer.stop();
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}
