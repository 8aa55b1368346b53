import type { IncomingMessage } from 'node:http';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Socket } from 'socket.io';
import type { ErrorCode } from '@flightdeck/contract';
import type { RedisKeys } from '@flightdeck/workers';
import { isRefusal, type Authenticator, type Caller } from '../accounts/authenticator';
import type { Identity } from '../accounts/identity';
import { DomainError, ThrottledError } from '../domain-errors';
import { clientAddressOf, trustedProxies } from '../edge/client-address';
import { answerOf } from '../edge/error-answers';
import { retryAfterSeconds } from '../edge/rate-limiter';
import { SyncedBudget } from '../edge/synced-budget';
import { sessionCookieOf } from '../edge/session-cookie';

export interface HandshakeOptions {
  redis: Redis;
  keys: RedisKeys;
  authenticator: Authenticator;
  /** Origins other than our own whose pages may connect with the session cookie. */
  allowedOrigins: readonly string[];
  /** Handshakes a client address may make per `handshakeWindowSeconds` (shared in Redis); 0 turns it off. */
  handshakesPerIp: number;
  handshakeWindowSeconds: number;
  /** TRUST_PROXY: how many proxies in front set X-Forwarded-For (the client address, as REST reads it). */
  trustProxy: number;
  logger: Logger;
}

/** What of a connecting socket the handshake looks at. */
export interface Handshaking {
  request: IncomingMessage;
  handshake: Socket['handshake'];
}

/**
 * A refused handshake: the client's `connect_error` has the message and `data: { code, message }`,
 * plus `details` (`retryAfterSeconds` when rate limited).
 */
const refuse = (code: ErrorCode, message: string, details: { retryAfterSeconds?: number } = {}) =>
  Object.assign(new Error(`${code}: ${message}`), { data: { code, message, ...details } });

/** A domain error as a refusal: the code, message and `retryAfterSeconds` REST answers it with. */
function refusalOf(error: DomainError): Error {
  const { body, retryAfterSeconds } = answerOf(error);
  return refuse(body.error.code, body.error.message, retryAfterSeconds === undefined ? {} : { retryAfterSeconds });
}

/**
 * Who a connecting socket acts as, or the refusal to hand to Socket.io's `next` (never a throw: a
 * failure to check is `service_unavailable`). Past SOCKET_HANDSHAKES_PER_IP an address is refused
 * before any credential is looked at.
 */
export function handshakeAuthenticator(options: HandshakeOptions): (socket: Handshaking) => Promise<Identity | Error> {
  const { logger } = options;

  /**
   * The handshake: `auth.token` (API key, job token or session token) or the session cookie; sessions
   * name their workspace with `auth.workspace` (its slug) or an `X-Workspace` header, else act in the
   * first workspace the person joined. Cookies count only from allowed origins.
   */
  async function identify(handshake: Socket['handshake']): Promise<Identity | Error> {
    const auth = (handshake.auth ?? {}) as { token?: unknown; workspace?: unknown };
    let caller: Caller;
    if (typeof auth.token === 'string' && auth.token !== '') {
      const answer = await options.authenticator.caller(auth.token);
      if (isRefusal(answer)) return refuse('unauthorized', answer.refused);
      caller = answer;
    } else {
      const cookie = sessionCookieOf(handshake.headers.cookie);
      if (!cookie) return refuse('unauthorized', 'missing credentials (auth.token or the session cookie)');
      const origin = handshake.headers.origin;
      if (origin && !sameOrAllowedOrigin(origin, handshake.headers.host))
        return refuse('csrf_rejected', `pages from ${origin} may not use this session`);
      const answer = await options.authenticator.sessionCaller(cookie);
      if (isRefusal(answer)) return refuse('unauthorized', answer.refused);
      caller = answer;
    }
    if (caller.kind === 'workspace') return caller.identity;
    const named = typeof auth.workspace === 'string' && auth.workspace !== '' ? auth.workspace : undefined;
    const header = handshake.headers['x-workspace'];
    const slug =
      named ??
      (typeof header === 'string' && header !== '' ? header : await options.authenticator.defaultWorkspaceSlug(caller));
    if (!slug) return refuse('workspace_required', 'you are a member of no workspace: create one or ask to be added');
    const identity = await options.authenticator.sessionIdentity(caller, slug);
    return identity ?? refuse('not_found', `no workspace "${slug}" that you are a member of`);
  }

  /** Whether a page of `origin` may use the session cookie: our own host, or a configured origin (`null` and junk: no). */
  function sameOrAllowedOrigin(origin: string, host: string | undefined): boolean {
    if (options.allowedOrigins.includes(origin)) return true;
    try {
      return new URL(origin).host === host;
    } catch {
      return false;
    }
  }

  const handshakeLimiter =
    options.handshakesPerIp > 0
      ? new SyncedBudget(
          options.redis,
          `${options.keys.rateLimits}:handshake`,
          options.handshakesPerIp,
          options.handshakeWindowSeconds,
        )
      : undefined;
  const trust = trustedProxies(options.trustProxy);

  /**
   * Refused handshakes spend the budget as well, so guessing keys or sessions is throttled too. When
   * Redis cannot answer, the handshake passes (as REST requests do).
   */
  async function handshakeLimitRefusal(socket: Handshaking): Promise<Error | null> {
    if (!handshakeLimiter) return null;
    const refusal = await handshakeLimiter.spend(clientAddressOf(socket.request, trust));
    if (!refusal) return null;
    const seconds = retryAfterSeconds(refusal);
    return refusalOf(
      new ThrottledError(`too many connection attempts from this address; try again in ${seconds} s`, seconds),
    );
  }

  return async (socket) => {
    try {
      return (await handshakeLimitRefusal(socket)) ?? (await identify(socket.handshake));
    } catch (error) {
      if (error instanceof DomainError) return refusalOf(error);
      logger.warn({ err: error }, 'handshake authentication failed');
      return refuse('service_unavailable', 'try again shortly');
    }
  };
}
