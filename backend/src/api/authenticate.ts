import type { Request, RequestHandler } from 'express';
import type { Actor, Permission } from '@flightdeck/contract';
import { isRefusal, type Authenticator, type Caller } from '../accounts/authenticator';
import { can, canSeeJob, type Identity } from '../accounts/identity';
import type { AuditContext } from '../audit/audit-log';
import { sessionCookieOf } from '../edge/session-cookie';
import { badRequest, forbidden, HttpError, notFound, unauthorized } from './http-errors';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Who presented credentials (set by `authenticate`). */
      caller?: Caller;
      /** Who is calling, and in which workspace every call acts (set by `inWorkspace`). */
      identity?: Identity;
    }
  }
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Defence against cross-site requests riding on the session cookie (on top of SameSite=Lax): an
 * unsafe request must come from our own origin or one listed in CORS_ORIGINS, as its Origin (or,
 * failing that, Referer) header says. A request with neither is a browser's only if it says where
 * it comes from in `Sec-Fetch-Site` (every current browser sends it): then only `same-origin` and
 * `none` (typed by the user) pass. One without any of these headers is not a browser's, and a
 * program holding the cookie is not a forged request.
 */
export function assertSameOrigin(req: Request, allowedOrigins: readonly string[]): void {
  if (!UNSAFE_METHODS.has(req.method)) return;
  const source = req.get('origin') ?? req.get('referer');
  if (!source) {
    const site = req.get('sec-fetch-site');
    if (site !== undefined && site !== 'same-origin' && site !== 'none')
      throw csrfRejected(`a ${site} request may not use this session`);
    return;
  }
  let origin: URL;
  try {
    origin = new URL(source);
  } catch {
    throw csrfRejected('the Origin header is not a URL');
  }
  if (origin.host === req.get('host') || allowedOrigins.includes(origin.origin)) return;
  throw csrfRejected(`requests from ${origin.origin} may not use this session`);
}

const csrfRejected = (message: string) => new HttpError(403, 'csrf_rejected', message);

/**
 * Requires credentials: `Authorization: Bearer <api key | job token | session token>` or the session
 * cookie. Cookie requests must pass the same-origin check.
 */
export function authenticate(authenticator: Authenticator, allowedOrigins: readonly string[]): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get('authorization');
    let answer;
    if (header) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match) throw unauthorized('malformed Authorization header: expected "Bearer <api key>"');
      answer = await authenticator.caller(match[1]!);
    } else {
      const token = sessionCookieOf(req.get('cookie'));
      if (!token) throw unauthorized('missing credentials: send "Authorization: Bearer <api key>" or sign in');
      assertSameOrigin(req, allowedOrigins);
      answer = await authenticator.sessionCaller(token);
    }
    if (isRefusal(answer)) throw unauthorized(answer.refused);
    req.caller = answer;
    next();
  };
}

/** Sets the workspace a request acts in: the key's or token's, or for a session the one `X-Workspace` names. */
export function inWorkspace(authenticator: Authenticator): RequestHandler {
  return async (req, _res, next) => {
    const caller = req.caller;
    if (!caller) throw unauthorized('missing credentials');
    if (caller.kind === 'workspace') {
      req.identity = caller.identity;
      return next();
    }
    const slug = req.get('x-workspace');
    if (!slug) throw badRequest('workspace_required', 'name the workspace to act in with the X-Workspace header');
    const identity = await authenticator.sessionIdentity(caller, slug);
    if (!identity) throw notFound(`no workspace "${slug}" that you are a member of`);
    req.identity = identity;
    next();
  };
}

/** The identity of a request that went through `inWorkspace`. */
export function identityOf(req: Request): Identity {
  if (!req.identity) throw unauthorized('missing credentials');
  return req.identity;
}

/** The workspace the authenticated request acts in. */
export const workspaceOf = (req: Request): string => identityOf(req).workspaceId;

/** Who acts and from where, for the audit log and attributed events. */
export const auditContextOf = (req: Request, actor: Actor = identityOf(req).actor): AuditContext => ({
  actor,
  ip: req.ip ?? null,
  userAgent: req.get('user-agent') ?? null,
});

/**
 * Requires a permission of the table (contract/src/permissions.ts). Job tokens pass only routes
 * that name a job (`:id`) with `jobToken: true`, and only for their own job (another job: 404).
 */
export function requirePermission(permission: Permission, options: { jobToken?: boolean } = {}): RequestHandler {
  return (req, _res, next) => {
    const identity = identityOf(req);
    if (identity.kind === 'jobToken') {
      if (!options.jobToken) throw forbidden('a job token opens only its own job');
      if (!canSeeJob(identity, String(req.params.id))) throw notFound(`job ${req.params.id} not found`);
    }
    assertCan(identity, permission);
    next();
  };
}

/** Throws 403 unless the identity has the permission. */
export function assertCan(identity: Identity, permission: Permission): void {
  if (!can(identity, permission)) throw forbidden(refusalMessage(identity, permission));
}

function refusalMessage(identity: Identity, permission: Permission): string {
  switch (identity.kind) {
    case 'apiKey':
      return `this API key lacks the permission "${permission}" (see its scopes)`;
    case 'user':
      return `a ${identity.role} may not do this ("${permission}")`;
    case 'jobToken':
      return 'a job token only reads its own job';
  }
}

/** Requires a signed-in person (not an API key), e.g. to create workspaces. */
export function sessionOf(req: Request): Extract<Caller, { kind: 'session' }> {
  if (req.caller?.kind !== 'session') throw forbidden('sign in as a person to do this; API keys cannot');
  return req.caller;
}
