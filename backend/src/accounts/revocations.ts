import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { RedisKeys } from '@flightdeck/workers';
import { dedicatedConnection } from '../redis-connections';

/** Credentials that stop working now; every API and gateway process hears of it at once. */
export type Revocation =
  | { kind: 'apiKey'; keyId: string }
  | { kind: 'member'; workspaceId: string; userId: string }
  | { kind: 'session'; sessionId: string }
  | { kind: 'workspace'; workspaceId: string };

type Listener = (revocation: Revocation) => void;

/**
 * Revocations over Redis pub/sub: the process that revokes publishes; every process drops its
 * cached answers and disconnects the sockets that used the credential. A process that misses a
 * message (disconnected at that instant) still refuses the credential on its next lookup, as the
 * key resolver's cache lives seconds and sessions and memberships are read on every request.
 */
export class RevocationBus {
  private readonly listeners = new Set<Listener>();
  private subscriber: Redis | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly logger: Logger,
  ) {}

  async publish(revocation: Revocation): Promise<void> {
    // Listeners here hear it before the answer goes out (and once more from Redis: they are idempotent).
    this.dispatch(revocation);
    await this.redis.publish(this.keys.revocations, JSON.stringify(revocation));
  }

  /** Starts listening (one subscriber connection per process, shared by every listener). */
  async listen(listener: Listener): Promise<void> {
    this.listeners.add(listener);
    if (this.subscriber) return;
    this.subscriber = dedicatedConnection(this.redis, { maxRetriesPerRequest: null });
    this.subscriber.on('error', (error) => this.logger.warn({ err: error }, 'revocation subscriber error'));
    this.subscriber.on('message', (_channel: string, message: string) => {
      try {
        this.dispatch(JSON.parse(message) as Revocation);
      } catch (error) {
        this.logger.warn({ err: error }, 'unreadable revocation message');
      }
    });
    await this.subscriber.subscribe(this.keys.revocations);
  }

  private dispatch(revocation: Revocation) {
    for (const listener of this.listeners) listener(revocation);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }
}
