import type {
  ApiKeyInfo,
  ApiKeyScope,
  Login,
  Me,
  Member,
  MemberRole,
  Signup,
  User,
  Workspace,
} from '@flightdeck/contract';
import type { Requesting } from './api-transport';

/** A workspace the caller belongs to, with the caller's role in it (`null` for an API key). */
export type MyWorkspace = Me['workspaces'][number];

/** What signing up or in answers: who signed in and the workspaces they belong to. */
export interface SessionAnswer {
  user: User;
  workspaces: MyWorkspace[];
}

/** A new API key: the only time its secret (`key`) is ever shown. */
export type CreatedApiKey = ApiKeyInfo & { key: string };

/** Signing up, in and out, and who the caller is. */
export interface AuthApi {
  signUp(input: Signup): Promise<SessionAnswer>;
  signIn(input: Login): Promise<SessionAnswer>;
  signOut(): Promise<void>;
  me(): Promise<Me>;
}

export interface WorkspacesApi {
  createWorkspace(input: { name: string }): Promise<Workspace>;
}

/** The members of the client's workspace. */
export interface MembersApi {
  listMembers(): Promise<Member[]>;
  addMember(input: { email: string; role: MemberRole }): Promise<Member>;
  updateMember(userId: string, input: { role: MemberRole }): Promise<Member>;
  removeMember(userId: string): Promise<void>;
}

/** The API keys of the client's workspace. */
export interface ApiKeysApi {
  listApiKeys(): Promise<ApiKeyInfo[]>;
  createApiKey(input: { name: string; scopes?: ApiKeyScope[] }): Promise<CreatedApiKey>;
  revokeApiKey(id: string): Promise<ApiKeyInfo>;
}

const memberPath = (userId: string) => `/v1/members/${encodeURIComponent(userId)}`;

/** The calls on accounts (sign-up, sign-in, who am I), workspaces, members and API keys, for the {@link ApiClient}. */
export function AccountsCalls<Base extends Requesting>(base: Base) {
  abstract class Accounts extends base implements AuthApi, WorkspacesApi, MembersApi, ApiKeysApi {
    /** `POST /v1/auth/signup`: a new account, signed in (the answer sets the session cookie). */
    signUp(input: Signup): Promise<SessionAnswer> {
      return this.request<SessionAnswer>('POST', '/v1/auth/signup', { body: input });
    }

    /** `POST /v1/auth/login`. */
    signIn(input: Login): Promise<SessionAnswer> {
      return this.request<SessionAnswer>('POST', '/v1/auth/login', { body: input });
    }

    /** `POST /v1/auth/logout`: ends the session (the cookie is httpOnly: only the server can clear it). */
    signOut(): Promise<void> {
      return this.request<void>('POST', '/v1/auth/logout', { empty: true });
    }

    /** `GET /v1/me`: the caller and their workspaces. */
    me(): Promise<Me> {
      return this.request<Me>('GET', '/v1/me');
    }

    /** `POST /v1/workspaces`: a new workspace, owned by the signed-in person. */
    createWorkspace(input: { name: string }): Promise<Workspace> {
      return this.request<Workspace>('POST', '/v1/workspaces', { body: input });
    }

    /** `GET /v1/members`. */
    async listMembers(): Promise<Member[]> {
      return (await this.request<{ items: Member[] }>('GET', '/v1/members', { scoped: true })).items;
    }

    /** `POST /v1/members`: adds a person who already has an account. */
    addMember(input: { email: string; role: MemberRole }): Promise<Member> {
      return this.request<Member>('POST', '/v1/members', { body: input, scoped: true });
    }

    /** `PATCH /v1/members/{userId}`: changes a member's role. */
    updateMember(userId: string, input: { role: MemberRole }): Promise<Member> {
      return this.request<Member>('PATCH', memberPath(userId), { body: input, scoped: true });
    }

    /** `DELETE /v1/members/{userId}`. */
    removeMember(userId: string): Promise<void> {
      return this.request<void>('DELETE', memberPath(userId), { scoped: true, empty: true });
    }

    /** `GET /v1/api-keys`: the workspace's keys, without their secrets. */
    async listApiKeys(): Promise<ApiKeyInfo[]> {
      return (await this.request<{ items: ApiKeyInfo[] }>('GET', '/v1/api-keys', { scoped: true })).items;
    }

    /** `POST /v1/api-keys`: the new key, with its secret this one time. */
    createApiKey(input: { name: string; scopes?: ApiKeyScope[] }): Promise<CreatedApiKey> {
      return this.request<CreatedApiKey>('POST', '/v1/api-keys', { body: input, scoped: true });
    }

    /** `DELETE /v1/api-keys/{id}`: revokes the key at once; the answer has `revokedAt` set. */
    revokeApiKey(id: string): Promise<ApiKeyInfo> {
      return this.request<ApiKeyInfo>('DELETE', `/v1/api-keys/${encodeURIComponent(id)}`, { scoped: true });
    }
  }
  return Accounts;
}
