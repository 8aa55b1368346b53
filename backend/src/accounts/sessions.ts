import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { RedisKeys } from '@flightdeck/workers';

/** The cookie that carries a session token; httpOnly, SameSite=Lax (see api/session-cookie.ts). */
export const SESSION_COOKIE = 'fd_session';

export interface Session {
  /** The SHA-256 of the token: how the session is named everywhere but in the cookie. */
  id: string;
  userId: string;
  name: string;
  email: string;
  /** When it ends (epoch milliseconds); sessions made before this field existed have none. */
  expiresAt?: number;
}

const sessionIdOf = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Sessions live in Redis under the hash of their token, with a fixed lifetime: the token itself is
 * never stored, so a read of Redis does not hand out sessions. Logout deletes the entry at once.
 */
export class SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly ttlSeconds: number,
  ) {}

  async create(user: { id: string; name: string; email: string }): Promise<{ token: string; session: Session }> {
    const token = `fds_${randomBytes(32).toString('base64url')}`;
    const session: Session = {
      id: sessionIdOf(token),
      userId: user.id,
      name: user.name,
      email: user.email,
      expiresAt: Date.now() + this.ttlSeconds * 1000,
    };
    await this.redis.set(this.keys.session(session.id), JSON.stringify(session), 'EX', this.ttlSeconds);
    return { token, session };
  }

  async find(token: string): Promise<Session | null> {
    if (!token.startsWith('fds_') || token.length > 100) return null;
    const stored = await this.redis.get(this.keys.session(sessionIdOf(token)));
    return stored ? (JSON.parse(stored) as Session) : null;
  }

  async end(sessionId: string): Promise<void> {
    await this.redis.del(this.keys.session(sessionId));
  }

  get maxAgeSeconds(): number {
    return this.ttlSeconds;
  }
}
