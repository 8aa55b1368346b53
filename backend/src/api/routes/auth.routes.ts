import { Router } from 'express';
import { createWorkspaceSchema, loginSchema, signupSchema, type ApiKeyScope, type Me } from '@flightdeck/contract';
import type { AccountService } from '../../accounts/account-service';
import type { RevocationBus } from '../../accounts/revocations';
import type { AuditLog } from '../../audit/audit-log';
import { assertSameOrigin, auditContextOf, sessionOf } from '../authenticate';
import { forbidden, HttpError } from '../http-errors';
import { jsonBody, requireJsonBody } from '../json-body';
import type { RateLimits } from '../rate-limits';
import { clearSessionCookie, sessionCookieOf, setSessionCookie, type CookieSettings } from '../../edge/session-cookie';
import { validate } from '../validate';
import { isRefusal, type Authenticator } from '../../accounts/authenticator';

export interface AuthRouteDeps {
  accounts: AccountService;
  authenticator: Authenticator;
  revocations: RevocationBus;
  audit: AuditLog;
  limits: RateLimits;
  cookie: CookieSettings;
  allowedOrigins: readonly string[];
  bodyBytes: number;
}

/** Sign-up, sign-in and sign-out: the routes that work without credentials. */
export function publicAuthRoutes(deps: AuthRouteDeps): Router {
  const router = Router();
  const json = jsonBody(deps.bodyBytes);

  router.post('/auth/signup', deps.limits.signup(), json, requireJsonBody, async (req, res) => {
    assertSameOrigin(req, deps.allowedOrigins);
    const input = validate(signupSchema, req.body);
    const signedIn = await deps.accounts.signup(input);
    const workspace = signedIn.workspaces[0]!;
    await deps.audit.record(
      workspace.id,
      auditContextOf(req, { type: 'user', id: signedIn.user.id, name: signedIn.user.name }),
      'workspace.created',
      { type: 'workspace', id: workspace.id },
      { slug: workspace.slug, name: workspace.name },
    );
    setSessionCookie(res, signedIn.token, deps.cookie);
    res.status(201).json({ user: signedIn.user, workspaces: signedIn.workspaces });
  });

  router.post('/auth/login', json, requireJsonBody, async (req, res) => {
    assertSameOrigin(req, deps.allowedOrigins);
    const input = validate(loginSchema, req.body);
    const ip = req.ip ?? 'unknown';
    await deps.limits.assertMayTryLogin(input.email, ip);
    const signedIn = await deps.accounts.login(input);
    if (!signedIn) {
      await deps.limits.recordLoginFailure(input.email, ip);
      throw new HttpError(401, 'invalid_credentials', 'wrong email or password');
    }
    await deps.limits.recordLoginSuccess(input.email, ip);
    setSessionCookie(res, signedIn.token, deps.cookie);
    res.json({ user: signedIn.user, workspaces: signedIn.workspaces });
  });

  /** Ends the cookie's session (here and on open sockets); signing out twice is fine. */
  router.post('/auth/logout', async (req, res) => {
    const token = sessionCookieOf(req.get('cookie'));
    if (token) {
      assertSameOrigin(req, deps.allowedOrigins);
      const caller = await deps.authenticator.sessionCaller(token);
      if (!isRefusal(caller) && caller.kind === 'session') {
        await deps.accounts.endSession(caller.session.id);
        await deps.revocations.publish({ kind: 'session', sessionId: caller.session.id });
      }
    }
    clearSessionCookie(res, deps.cookie);
    res.status(204).end();
  });

  return router;
}

/** Who am I, and workspaces: authenticated, but not yet in a workspace. */
export function accountRoutes(deps: AuthRouteDeps): Router {
  const router = Router();
  const json = jsonBody(deps.bodyBytes);

  router.get('/me', async (req, res) => {
    const caller = req.caller!;
    if (caller.kind === 'session') {
      const me: Me = {
        user: { id: caller.session.userId, email: caller.session.email, name: caller.session.name },
        apiKey: null,
        workspaces: await deps.accounts.workspacesOf(caller.session.userId),
      };
      return res.json(me);
    }
    const { identity } = caller;
    if (identity.kind !== 'apiKey') throw forbidden('a job token opens only its own job');
    const workspace = await deps.accounts.workspace(identity.workspaceId);
    const me: Me = {
      user: null,
      apiKey: { id: identity.keyId, name: identity.actor.name, scopes: identity.scopes as ApiKeyScope[] },
      workspaces: workspace ? [{ ...workspace, role: null }] : [],
    };
    res.json(me);
  });

  router.post('/workspaces', json, requireJsonBody, async (req, res) => {
    const caller = sessionOf(req);
    const { name } = validate(createWorkspaceSchema, req.body);
    const workspace = await deps.accounts.createWorkspace(caller.session.userId, name);
    await deps.audit.record(
      workspace.id,
      auditContextOf(req, caller.actor),
      'workspace.created',
      { type: 'workspace', id: workspace.id },
      { slug: workspace.slug, name: workspace.name },
    );
    res.status(201).json(workspace);
  });

  return router;
}
