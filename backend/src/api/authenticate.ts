import type { RequestHandler } from 'express';
import type { ApiKeyIdentity, ApiKeyResolver } from '../accounts/api-keys';
import { forbidden, unauthorized } from './http-errors';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Who is calling, and in which workspace every call acts. */
      identity?: ApiKeyIdentity;
    }
  }
}

/** Requires `Authorization: Bearer <api key>`; the key decides the workspace. */
export function authenticate(resolver: ApiKeyResolver): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get('authorization');
    if (!header) throw unauthorized('missing credentials: send "Authorization: Bearer <api key>"');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw unauthorized('malformed Authorization header: expected "Bearer <api key>"');
    const key = match[1]!;
    const identity = resolver.cached(key) ?? (await resolver.resolve(key));
    if (!identity) throw unauthorized('invalid or revoked API key');
    req.identity = identity;
    next();
  };
}

/** The workspace the authenticated request acts in. */
export function workspaceOf(identity: ApiKeyIdentity | undefined): string {
  if (!identity) throw unauthorized('missing credentials');
  return identity.workspaceId;
}

/** Requires the API key to carry a scope (a key with `admin` has every scope). */
export function requireScope(scope: string): RequestHandler {
  return (req, _res, next) => {
    const scopes = req.identity?.scopes ?? [];
    if (!scopes.includes(scope) && !scopes.includes('admin'))
      throw forbidden(`this API key lacks the "${scope}" scope`);
    next();
  };
}
