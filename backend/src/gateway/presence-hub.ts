import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';
import {
  presenceRequestSchema,
  rooms,
  typingRequestSchema,
  type PresenceAck,
  type PresenceSnapshot,
  type TypingAck,
  type TypingNotice,
} from '@flightdeck/contract';
import type { RedisKeys } from '@flightdeck/workers';
import { can, type Identity } from '../accounts/identity';
import { EventBudget, failure, onRequest } from './socket-input';
import { dedicatedConnection } from '../redis-connections';

/** How often a gateway refreshes its connections' presence, and how long an entry lives unrefreshed. */
export const PRESENCE_REFRESH_MS = 3_000;
export const PRESENCE_TTL_MS = 10_000;
/**
 * A gateway sends a workspace's presence at most this often: a burst of changes (one client can send
 * hundreds a second) becomes one snapshot, read after the last of them, instead of one per change to
 * every socket of the workspace.
 */
export const PRESENCE_BROADCAST_MS = 100;
/** Typing notices a socket may have relayed per second (the console sends one per job every 2 s). */
export const TYPING_RELAYS_PER_SECOND = 5;

interface PresenceEntry {
  user: { id: string; name: string };
  jobId: string | null;
  expiresAt: number;
}

type PresenceMessage =
  { kind: 'changed'; workspaceId: string } | { kind: 'typing'; workspaceId: string; notice: TypingNotice };

/** The room of a workspace's sockets that take part in presence. */
const presenceRoom = (workspaceId: string) => `${rooms.workspace(workspaceId)}:presence`;

/**
 * Presence across gateways, outside the event stream: each connection that says where it is gets an
 * entry in the workspace's Redis hash (refreshed every few seconds, dropped on disconnect, expired
 * after a gateway dies), and a pub/sub message tells every gateway to send the new picture to its
 * sockets in that workspace. Typing notices travel the same channel and are not stored at all.
 */
export class PresenceHub {
  private readonly subscriber: Redis;
  private readonly local = new Map<string, { workspaceId: string; entry: PresenceEntry }>();
  private readonly refresher: NodeJS.Timeout;
  /** Workspaces whose snapshot is due to go out, and the timer that sends it. */
  private readonly broadcasts = new Map<string, NodeJS.Timeout>();
  private closing = false;

  constructor(
    private readonly io: Server,
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly logger: Logger,
  ) {
    this.subscriber = dedicatedConnection(redis, { maxRetriesPerRequest: null });
    this.subscriber.on('error', (error) => logger.warn({ err: error }, 'presence subscriber error'));
    this.subscriber.on('message', (_channel: string, message: string) => void this.onMessage(message));
    this.subscriber
      .subscribe(keys.presenceChanges)
      .catch((error: unknown) => logger.warn({ err: error }, 'presence subscriber could not subscribe'));
    this.refresher = setInterval(() => void this.refresh(), PRESENCE_REFRESH_MS);
    this.refresher.unref();
  }

  /** Handles a socket's `presence` and `typing` (their input already past the gateway's guard). */
  attach(socket: Socket, identity: Identity): void {
    const typingBudget = new EventBudget(TYPING_RELAYS_PER_SECOND);
    onRequest<typeof presenceRequestSchema, PresenceAck>(
      socket,
      'presence',
      presenceRequestSchema,
      this.logger,
      async (request, answer) => {
        if (identity.kind === 'jobToken' || !can(identity, 'jobs:read')) {
          return answer(failure('forbidden', 'presence needs the jobs:read permission'));
        }
        try {
          const entry: PresenceEntry = {
            user: { id: identity.actor.id, name: identity.actor.name },
            jobId: request.jobId,
            expiresAt: Date.now() + PRESENCE_TTL_MS,
          };
          this.local.set(socket.id, { workspaceId: identity.workspaceId, entry });
          await socket.join(presenceRoom(identity.workspaceId));
          // Gone meanwhile: its entry was dropped on disconnect and must not come back.
          if (socket.disconnected) return;
          await this.redis.hset(this.keys.presence(identity.workspaceId), socket.id, JSON.stringify(entry));
          await this.publish({ kind: 'changed', workspaceId: identity.workspaceId });
          answer({ ok: true, ...(await this.snapshot(identity.workspaceId)) });
        } catch (error) {
          this.logger.warn({ err: error }, 'presence update failed');
          answer(failure('service_unavailable', 'try again shortly'));
        }
      },
    );

    onRequest<typeof typingRequestSchema, TypingAck>(
      socket,
      'typing',
      typingRequestSchema,
      this.logger,
      async (request, answer) => {
        if (identity.kind === 'jobToken' || !can(identity, 'jobs:collaborate')) {
          return answer(failure('forbidden', 'typing needs the jobs:collaborate permission'));
        }
        if (!typingBudget.spend()) {
          return answer(
            failure('rate_limited', `typing is relayed at most ${TYPING_RELAYS_PER_SECOND} times a second`),
          );
        }
        const notice: TypingNotice = {
          jobId: request.jobId,
          user: { id: identity.actor.id, name: identity.actor.name },
        };
        try {
          await this.publish({ kind: 'typing', workspaceId: identity.workspaceId, notice });
          answer({ ok: true });
        } catch {
          answer(failure('service_unavailable', 'try again shortly'));
        }
      },
    );

    socket.on('disconnect', () => void this.leave(socket.id));
  }

  /** The presence of a workspace: live entries grouped by person. */
  async snapshot(workspaceId: string): Promise<PresenceSnapshot> {
    const hash = await this.redis.hgetall(this.keys.presence(workspaceId));
    const now = Date.now();
    const members = new Map<string, { id: string; name: string; jobIds: string[] }>();
    for (const value of Object.values(hash)) {
      const entry = JSON.parse(value) as PresenceEntry;
      if (entry.expiresAt < now) continue;
      const member = members.get(entry.user.id) ?? { ...entry.user, jobIds: [] };
      if (entry.jobId && !member.jobIds.includes(entry.jobId)) member.jobIds.push(entry.jobId);
      members.set(entry.user.id, member);
    }
    return { members: [...members.values()].sort((a, b) => a.name.localeCompare(b.name)) };
  }

  private async leave(socketId: string): Promise<void> {
    const mine = this.local.get(socketId);
    if (!mine) return;
    this.local.delete(socketId);
    try {
      await this.redis.hdel(this.keys.presence(mine.workspaceId), socketId);
      await this.publish({ kind: 'changed', workspaceId: mine.workspaceId });
    } catch (error) {
      this.logger.warn({ err: error }, 'presence leave failed; the entry expires on its own');
    }
  }

  /** Keeps this gateway's entries alive, and clears entries of gateways that died. */
  private async refresh(): Promise<void> {
    try {
      const expiresAt = Date.now() + PRESENCE_TTL_MS;
      const workspaces = new Set<string>();
      const pipeline = this.redis.pipeline();
      for (const [socketId, mine] of this.local) {
        mine.entry.expiresAt = expiresAt;
        pipeline.hset(this.keys.presence(mine.workspaceId), socketId, JSON.stringify(mine.entry));
        pipeline.pexpire(this.keys.presence(mine.workspaceId), PRESENCE_TTL_MS * 6);
        workspaces.add(mine.workspaceId);
      }
      await pipeline.exec();
      for (const workspaceId of workspaces) {
        const hash = await this.redis.hgetall(this.keys.presence(workspaceId));
        const expired = Object.entries(hash)
          .filter(([, value]) => (JSON.parse(value) as PresenceEntry).expiresAt < Date.now())
          .map(([field]) => field);
        if (expired.length === 0) continue;
        await this.redis.hdel(this.keys.presence(workspaceId), ...expired);
        await this.publish({ kind: 'changed', workspaceId });
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'presence refresh failed');
    }
  }

  private publish(message: PresenceMessage): Promise<number> {
    return this.redis.publish(this.keys.presenceChanges, JSON.stringify(message));
  }

  private async onMessage(raw: string): Promise<void> {
    try {
      const message = JSON.parse(raw) as PresenceMessage;
      const room = presenceRoom(message.workspaceId);
      if (!this.io.of('/').adapter.rooms.get(room)?.size) return;
      if (message.kind === 'typing') {
        this.io.to(room).emit('typing', message.notice);
        return;
      }
      this.broadcastSoon(message.workspaceId);
    } catch (error) {
      this.logger.warn({ err: error }, 'presence message failed');
    }
  }

  private broadcastSoon(workspaceId: string): void {
    if (this.closing || this.broadcasts.has(workspaceId)) return;
    const timer = setTimeout(() => {
      // Deleted before the read: a change that lands during it schedules the next snapshot.
      this.broadcasts.delete(workspaceId);
      this.snapshot(workspaceId).then(
        (snapshot) => this.io.to(presenceRoom(workspaceId)).emit('presence', snapshot),
        (error: unknown) => this.logger.warn({ err: error }, 'presence broadcast failed'),
      );
    }, PRESENCE_BROADCAST_MS);
    timer.unref();
    this.broadcasts.set(workspaceId, timer);
  }

  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.refresher);
    for (const timer of this.broadcasts.values()) clearTimeout(timer);
    this.broadcasts.clear();
    await Promise.all([...this.local.keys()].map((socketId) => this.leave(socketId)));
    await this.subscriber.quit().catch(() => this.subscriber.disconnect());
  }
}
