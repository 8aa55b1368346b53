import type { Actor, MemberRole } from '@flightdeck/contract';
import type { AccountService } from './account-service';
import type { ApiKeyResolver } from './api-keys';
import type { Identity } from './identity';
import { JobTokens } from './job-tokens';
import type { Session, SessionStore } from './sessions';

/** Who presented credentials, before the workspace is known (sessions name it per request). */
export type Caller = { kind: 'session'; session: Session; actor: Actor } | { kind: 'workspace'; identity: Identity };

/** Why credentials were refused: shown to the client (REST 401 message, socket connect_error). */
export type Refusal = { refused: string };

/**
 * Turns presented credentials into callers and identities, for REST and the socket gateway alike:
 * API keys (`fd_…`), session tokens (`fds_…`, usually from the cookie) and job tokens (JWTs).
 */
export class Authenticator {
  constructor(
    private readonly apiKeys: ApiKeyResolver,
    private readonly sessions: SessionStore,
    readonly jobTokens: JobTokens,
    private readonly accounts: AccountService,
  ) {}

  /**
   * A bearer string: an API key, a job token or a session token. What looks like a session or job
   * token and is not one may still be an API key (BOOTSTRAP_API_KEY is any string), so it is looked
   * up as one before it is refused.
   */
  async caller(bearer: string): Promise<Caller | Refusal> {
    if (bearer.startsWith('fds_')) {
      const session = await this.sessionCaller(bearer);
      return isRefusal(session) ? ((await this.apiKeyCaller(bearer)) ?? session) : session;
    }
    if (JobTokens.looksLikeToken(bearer)) {
      const token = await this.jobTokenCaller(bearer);
      return isRefusal(token) ? ((await this.apiKeyCaller(bearer)) ?? token) : token;
    }
    return (await this.apiKeyCaller(bearer)) ?? { refused: 'invalid or revoked API key' };
  }

  private async jobTokenCaller(bearer: string): Promise<Caller | Refusal> {
    const claims = await this.jobTokens.verify(bearer);
    if (!claims) return { refused: 'invalid or expired job token' };
    // Deleting a workspace ends its job tokens too: they are stored nowhere, so nothing else revokes them.
    if (!(await this.accounts.workspace(claims.workspaceId)))
      return { refused: "the job token's workspace was deleted" };
    const actor: Actor = { type: 'apiKey', id: `job-token:${claims.jobId}`, name: 'job token' };
    return { kind: 'workspace', identity: { kind: 'jobToken', actor, ...claims } };
  }

  private async apiKeyCaller(bearer: string): Promise<Caller | null> {
    const key = this.apiKeys.cached(bearer) ?? (await this.apiKeys.resolve(bearer));
    if (!key) return null;
    return {
      kind: 'workspace',
      identity: {
        kind: 'apiKey',
        workspaceId: key.workspaceId,
        actor: { type: 'apiKey', id: key.keyId, name: key.name },
        keyId: key.keyId,
        scopes: key.scopes,
      },
    };
  }

  async sessionCaller(token: string): Promise<Caller | Refusal> {
    const session = await this.sessions.find(token);
    if (!session) return { refused: 'the session has ended; sign in again' };
    return { kind: 'session', session, actor: { type: 'user', id: session.userId, name: session.name } };
  }

  /** The workspace a session acts in when it names none: the first one the person joined. */
  defaultWorkspaceSlug(caller: Extract<Caller, { kind: 'session' }>): Promise<string | null> {
    return this.accounts.firstWorkspaceSlug(caller.session.userId);
  }

  /** A session's identity in the workspace with this slug; null when they are not a member of it. */
  async sessionIdentity(
    caller: Extract<Caller, { kind: 'session' }>,
    slug: string,
  ): Promise<(Identity & { kind: 'user' }) | null> {
    const membership = await this.accounts.membership(caller.session.userId, slug);
    if (!membership) return null;
    return {
      kind: 'user',
      workspaceId: membership.workspace.id,
      actor: caller.actor,
      userId: caller.session.userId,
      sessionId: caller.session.id,
      role: membership.role as MemberRole,
      ...(caller.session.expiresAt ? { expiresAt: caller.session.expiresAt } : {}),
    };
  }
}

export const isRefusal = (answer: Caller | Refusal): answer is Refusal => 'refused' in answer;
