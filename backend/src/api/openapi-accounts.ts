import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import {
  addMemberSchema,
  apiKeyListSchema,
  apiKeySchema,
  auditListSchema,
  createApiKeySchema,
  createdApiKeySchema,
  createJobTokenSchema,
  createWorkspaceSchema,
  errorBodySchema,
  jobTokenSchema,
  listAuditQuerySchema,
  loginSchema,
  meSchema,
  memberListSchema,
  memberSchema,
  myWorkspaceSchema,
  sessionAnswerSchema,
  signupSchema,
  updateMemberSchema,
  updateWorkspaceSchema,
  workspaceSchema,
} from '@flightdeck/contract';
import { resourceIdSchema } from './path-params';
import { errors, json, requiredJson } from './openapi-helpers';

const setCookie = {
  'Set-Cookie': {
    description: 'The session: `fd_session=…; HttpOnly; SameSite=Lax; Path=/` (and `Secure` over HTTPS)',
    schema: { type: 'string' as const },
  },
};
const userIdParams = z.object({ userId: resourceIdSchema.meta({ description: "The member's user id" }) });
const keyIdParams = z.object({ id: resourceIdSchema.meta({ description: 'API key id' }) });
const jobIdParams = z.object({ id: resourceIdSchema.meta({ description: 'Job id' }) });

/** Accounts and tenancy: sign-up, sessions, workspaces, members, API keys, job tokens, audit. */
export function registerAccountPaths(registry: OpenAPIRegistry, security: Record<string, string[]>[]): void {
  registry.registerPath({
    method: 'post',
    path: '/v1/auth/signup',
    tags: ['Accounts'],
    summary: 'Create an account (and a workspace it owns), signed in',
    description:
      'Passwords need at least 10 characters and must not be a well-known password, the email or the name (`weak_password` says which). Limited per address (`SIGNUPS_PER_HOUR`).',
    request: { body: requiredJson(signupSchema, 'The new account') },
    responses: {
      201: { ...json(sessionAnswerSchema, 'Signed up and signed in'), headers: setCookie },
      ...errors(400, 403, 409, 415, 422, 429, 503),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/auth/login',
    tags: ['Accounts'],
    summary: 'Sign in',
    description:
      'A wrong email or password answers the same `401 invalid_credentials`. After `LOGIN_MAX_FAILURES` failures for one email from one address within `LOGIN_WINDOW_SECONDS`, sign-in answers `429` until the window passes.',
    request: { body: requiredJson(loginSchema, 'Credentials') },
    responses: {
      200: { ...json(sessionAnswerSchema, 'Signed in'), headers: setCookie },
      ...errors(400, 401, 403, 415, 422, 429, 503),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/auth/logout',
    tags: ['Accounts'],
    summary: 'Sign out',
    description:
      'Ends the session at once, including its open sockets, and clears the cookie. Signing out twice is fine.',
    responses: { 204: { description: 'Signed out' }, ...errors(403, 503) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/me',
    tags: ['Accounts'],
    summary: 'Who am I: the user (or API key) and their workspaces with roles',
    security,
    responses: { 200: json(meSchema, 'The caller'), ...errors(401, 403, 503) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/workspaces',
    tags: ['Workspaces'],
    summary: 'Create a workspace; the caller becomes its owner',
    description: 'Sessions only. The slug is made from the name (with a short suffix when taken).',
    security,
    request: { body: requiredJson(createWorkspaceSchema, 'The workspace') },
    responses: { 201: json(workspaceSchema, 'Created'), ...errors(400, 401, 403, 415, 422, 429, 503) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/workspace',
    tags: ['Workspaces'],
    summary: "The workspace the request acts in, and the caller's role in it",
    security,
    responses: { 200: json(myWorkspaceSchema, 'The workspace'), ...errors(400, 401, 403, 404, 503) },
  });
  registry.registerPath({
    method: 'patch',
    path: '/v1/workspace',
    tags: ['Workspaces'],
    summary: 'Rename the workspace (admins)',
    security,
    request: { body: requiredJson(updateWorkspaceSchema, 'The new name') },
    responses: { 200: json(workspaceSchema, 'Renamed'), ...errors(400, 401, 403, 404, 415, 422, 503) },
  });
  registry.registerPath({
    method: 'delete',
    path: '/v1/workspace',
    tags: ['Workspaces'],
    summary: 'Delete the workspace (owners)',
    description:
      'Its keys and members lose access at once (open sockets too), its schedules stop and its job history is removed. The audit log keeps the entry.',
    security,
    responses: { 204: { description: 'Deleted' }, ...errors(400, 401, 403, 404, 503) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/members',
    tags: ['Members'],
    summary: 'Members of the workspace and their roles',
    security,
    responses: { 200: json(memberListSchema, 'The members'), ...errors(400, 401, 403, 404, 503) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/members',
    tags: ['Members'],
    summary: 'Add an existing user with a role (admins; only owners add owners)',
    security,
    request: { body: requiredJson(addMemberSchema, 'Who and with which role') },
    responses: {
      201: json(memberSchema, 'Added'),
      ...errors(400, 401, 403, 415, 422, 503),
      404: json(errorBodySchema, 'No account has this email (`user_not_found`)'),
      409: json(errorBodySchema, 'Already a member (`already_member`)'),
    },
  });
  registry.registerPath({
    method: 'patch',
    path: '/v1/members/{userId}',
    tags: ['Members'],
    summary: "Change a member's role (admins; only owners make or unmake owners)",
    description:
      "The member's open sockets reconnect under the new role. The last owner cannot step down (`409 last_owner`).",
    security,
    request: { params: userIdParams, body: requiredJson(updateMemberSchema, 'The new role') },
    responses: { 200: json(memberSchema, 'Changed'), ...errors(400, 401, 403, 404, 409, 415, 422, 503) },
  });
  registry.registerPath({
    method: 'delete',
    path: '/v1/members/{userId}',
    tags: ['Members'],
    summary: 'Remove a member (admins), or leave (anyone, their own id)',
    description: 'Access ends at once, open sockets too. The last owner cannot leave (`409 last_owner`).',
    security,
    request: { params: userIdParams },
    responses: { 204: { description: 'Removed' }, ...errors(400, 401, 403, 404, 409, 503) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/api-keys',
    tags: ['API keys'],
    summary: "The workspace's API keys, without their secrets (admins)",
    security,
    responses: { 200: json(apiKeyListSchema, 'The keys'), ...errors(400, 401, 403, 404, 503) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/api-keys',
    tags: ['API keys'],
    summary: 'Create an API key (admins); the key is shown this once',
    security,
    request: { body: requiredJson(createApiKeySchema, 'Name and scopes') },
    responses: { 201: json(createdApiKeySchema, 'Created'), ...errors(400, 401, 403, 404, 415, 422, 503) },
  });
  registry.registerPath({
    method: 'delete',
    path: '/v1/api-keys/{id}',
    tags: ['API keys'],
    summary: 'Revoke an API key (admins)',
    description: 'Takes effect at once in every process, on REST and on open sockets. Revoking twice is fine.',
    security,
    request: { params: keyIdParams },
    responses: { 200: json(apiKeySchema, 'The revoked key'), ...errors(400, 401, 403, 404, 503) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/jobs/{id}/token',
    tags: ['Jobs'],
    summary: 'A short-lived token that opens this one job',
    description:
      'Its bearer can `GET /v1/jobs/{id}` (and its logs) with `Authorization: Bearer <token>` and subscribe to the job over Socket.io with `auth.token` — nothing else. Expires after `ttlSeconds` (15 minutes by default).',
    security,
    request: { params: jobIdParams, body: { ...json(createJobTokenSchema, 'Optional lifetime'), required: false } },
    responses: { 201: json(jobTokenSchema, 'The token'), ...errors(400, 401, 403, 404, 422, 503) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/audit',
    tags: ['Audit'],
    summary: 'The audit log, newest first (admins)',
    description:
      'Key created/revoked, member added/removed/role changed, job cancelled/retried/promoted, job tokens, queue pause/resume/drain, webhook secret rotation, schedule changes and workspace changes: who, what, when, from where. Pass `nextCursor` as `cursor` for the next page.',
    security,
    request: { query: listAuditQuerySchema },
    responses: { 200: json(auditListSchema, 'A page of entries'), ...errors(400, 401, 403, 404, 422, 503) },
  });
}
