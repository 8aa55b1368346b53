import type { Request, RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import type { RateLimiterRedis } from 'rate-limiter-flexible';
import type { RedisKeys } from '@flightdeck/workers';
import { redisLimiter, retryAfterSeconds, spendOrPass } from '../edge/rate-limiter';
import { SyncedBudget, type Refusal } from '../edge/synced-budget';
import { tooManyRequests } from './http-errors';

export interface RateLimitSettings {
  /** Requests per window per caller (API key, person, or job token per viewer address); 0 turns the limit off. */
  perCaller: number;
  /** Requests per window per client address, before authentication; 0 turns it off. */
  perIp: number;
  windowSeconds: number;
  /** Failed sign-ins per email and address within `loginWindowSeconds`, before sign-in is refused for a while. */
  loginFailures: number;
  loginWindowSeconds: number;
  /** Accounts one address may create per hour. */
  signupsPerHour: number;
}

/**
 * Rate limits, counted in Redis so every API process shares them. Past a limit the answer is 429
 * with Retry-After. When Redis cannot answer, requests pass: the limits protect the service, they
 * are not a reason to refuse it. The budgets every request spends (per address, per caller) are
 * `SyncedBudget`s, which go to Redis every 100 ms rather than on every request; sign-ups and
 * sign-in failures, rare and guarded exactly, use rate-limiter-flexible (`edge/rate-limiter.ts`).
 * The gateway's handshake limit is a `SyncedBudget` too.
 */
export class RateLimits {
  private readonly byCaller?: SyncedBudget;
  private readonly byIp?: SyncedBudget;
  private readonly signups?: RateLimiterRedis;
  private readonly loginByEmailAndIp: RateLimiterRedis;
  private readonly loginByIp: RateLimiterRedis;

  constructor(redis: Redis, keys: RedisKeys, settings: RateLimitSettings) {
    const limiter = (name: string, points: number, duration: number) =>
      redisLimiter(redis, keys, name, points, duration);
    const budget = (name: string, points: number) =>
      new SyncedBudget(redis, `${keys.rateLimits}:${name}`, points, settings.windowSeconds);
    if (settings.perCaller > 0) this.byCaller = budget('caller', settings.perCaller);
    if (settings.perIp > 0) this.byIp = budget('ip', settings.perIp);
    if (settings.signupsPerHour > 0) this.signups = limiter('signup', settings.signupsPerHour, 3600);
    this.loginByEmailAndIp = limiter('login', settings.loginFailures, settings.loginWindowSeconds);
    // An address guessing across many accounts is stopped too, at ten times the per-account bound.
    this.loginByIp = limiter('login-ip', settings.loginFailures * 10, settings.loginWindowSeconds);
  }

  /** Per client address, for every request under /v1. */
  perIp(): RequestHandler {
    return limitBy(this.byIp, (req) => req.ip ?? 'unknown', 'too many requests from this address');
  }

  /** Per caller, after authentication. */
  perCaller(): RequestHandler {
    return limitBy(
      this.byCaller,
      (req) => {
        const caller = req.caller;
        if (!caller) return null;
        if (caller.kind === 'session') return `user:${caller.session.userId}`;
        const { identity } = caller;
        // A job token is embedded in a page for everyone who watches that job: each viewer's
        // address gets a budget of its own, so one busy page cannot use up another's.
        if (identity.kind === 'jobToken') return `jobToken:${identity.jobId}:${req.ip ?? 'unknown'}`;
        return `${identity.kind}:${identity.actor.id}`;
      },
      'too many requests for these credentials',
    );
  }

  signup(): RequestHandler {
    const { signups } = this;
    return limitBy(
      signups && { spend: (key) => spendOrPass(signups, key) },
      (req) => req.ip ?? 'unknown',
      'too many sign-ups from this address; try again later',
    );
  }

  /** Refuses a sign-in attempt (429) while this email from this address has failed too often. */
  async assertMayTryLogin(email: string, ip: string): Promise<void> {
    const [pair, address] = await Promise.all([
      this.loginByEmailAndIp.get(`${email}|${ip}`).catch(() => null),
      this.loginByIp.get(ip).catch(() => null),
    ]);
    for (const [state, limiter] of [
      [pair, this.loginByEmailAndIp],
      [address, this.loginByIp],
    ] as const) {
      if (state && state.consumedPoints >= limiter.points) {
        throw tooManyRequests('too many failed sign-ins; wait before trying again', state.msBeforeNext / 1000);
      }
    }
  }

  async recordLoginFailure(email: string, ip: string): Promise<void> {
    await Promise.all([
      this.loginByEmailAndIp.penalty(`${email}|${ip}`, 1).catch(() => undefined),
      this.loginByIp.penalty(ip, 1).catch(() => undefined),
    ]);
  }

  async recordLoginSuccess(email: string, ip: string): Promise<void> {
    await this.loginByEmailAndIp.delete(`${email}|${ip}`).catch(() => undefined);
  }
}

function limitBy(
  budget: { spend(key: string): Promise<Refusal | null> } | undefined,
  keyOf: (req: Request) => string | null,
  message: string,
): RequestHandler {
  return async (req, _res, next) => {
    const key = budget && keyOf(req);
    if (!budget || !key) return next();
    const refusal = await budget.spend(key);
    if (refusal) throw tooManyRequests(message, retryAfterSeconds(refusal));
    next();
  };
}
