import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import type { RedisKeys } from '@flightdeck/workers';

const ISSUER = 'flightdeck';
const AUDIENCE = 'flightdeck:job';

export interface JobTokenClaims {
  workspaceId: string;
  jobId: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/**
 * Short-lived tokens that open one job: a JWT (HS256, via `jose`) naming the workspace and the job.
 * The signing key is TOKEN_SECRET when set; otherwise one is made on first need and kept in Redis,
 * so every process of the deployment signs and verifies with the same key.
 */
export class JobTokens {
  private key: Promise<Uint8Array> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly configuredSecret: string | undefined,
  ) {}

  /** Whether a bearer string is a job token rather than an API key or a session. */
  static looksLikeToken(bearer: string): boolean {
    return bearer.startsWith('eyJ') && bearer.split('.').length === 3;
  }

  async issue(workspaceId: string, jobId: string, ttlSeconds: number): Promise<{ token: string; expiresAt: Date }> {
    const expiresAt = new Date(Math.floor(Date.now() / 1000 + ttlSeconds) * 1000);
    const token = await new SignJWT({ ws: workspaceId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject(jobId)
      .setIssuedAt()
      .setExpirationTime(expiresAt)
      .sign(await this.signingKey());
    return { token, expiresAt };
  }

  /** The token's claims, or null when it is malformed, forged or expired. */
  async verify(token: string): Promise<JobTokenClaims | null> {
    try {
      const { payload } = await jwtVerify(token, await this.signingKey(), {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
      });
      if (typeof payload.ws !== 'string' || typeof payload.sub !== 'string' || typeof payload.exp !== 'number')
        return null;
      return { workspaceId: payload.ws, jobId: payload.sub, expiresAt: payload.exp * 1000 };
    } catch (error) {
      if (error instanceof joseErrors.JOSEError) return null;
      throw error;
    }
  }

  private signingKey(): Promise<Uint8Array> {
    return (this.key ??= this.loadKey().catch((error: unknown) => {
      this.key = undefined;
      throw error;
    }));
  }

  private async loadKey(): Promise<Uint8Array> {
    if (this.configuredSecret) return new TextEncoder().encode(this.configuredSecret);
    await this.redis.set(this.keys.tokenSecret, randomBytes(32).toString('base64url'), 'NX');
    const secret = await this.redis.get(this.keys.tokenSecret);
    return new TextEncoder().encode(secret!);
  }
}
