import { z } from 'zod';
import { notBlank, orNull } from './api-schemas';
import { API_KEY_SCOPES, MEMBER_ROLES } from './permissions';

/** Limits of the accounts API, in one place. */
export const ACCOUNT_LIMITS = {
  minPasswordLength: 10,
  maxPasswordLength: 256,
  maxNameLength: 100,
  maxEmailLength: 254,
  maxApiKeyNameLength: 100,
  maxAuditListLimit: 200,
  defaultAuditListLimit: 50,
  /** Job tokens live this long unless asked otherwise, and never longer than the maximum. */
  defaultJobTokenTtlSeconds: 15 * 60,
  maxJobTokenTtlSeconds: 24 * 3600,
} as const;

const email = z
  .email()
  .max(ACCOUNT_LIMITS.maxEmailLength)
  .transform((value) => value.toLowerCase())
  // The address rule the server applies (zod's), not only `format: email`, which allows more.
  .meta({ pattern: z.regexes.email.source, example: 'ada@example.com' });
const personName = z
  .string()
  .trim()
  .min(1)
  .max(ACCOUNT_LIMITS.maxNameLength)
  .meta({ ...notBlank, example: 'Ada Lovelace' });
// The strength policy is checked by the server (see backend/src/accounts/passwords.ts) so its
// message can say exactly what is wrong; here only the bounds.
const password = z.string().min(1).max(ACCOUNT_LIMITS.maxPasswordLength);
// Sign-up states the policy in the document too; a login takes whatever was once accepted.
const newPassword = password.meta({
  minLength: ACCOUNT_LIMITS.minPasswordLength,
  description: `At least ${ACCOUNT_LIMITS.minPasswordLength} characters, and not a well-known password, the email, the name or a few characters repeated (\`422 weak_password\` says which).`,
});

export const memberRoleSchema = z.enum(MEMBER_ROLES).meta({ id: 'MemberRole' });
export const apiKeyScopeSchema = z.enum(API_KEY_SCOPES).meta({ id: 'ApiKeyScope' });

export const signupSchema = z.strictObject({ email, password: newPassword, name: personName }).meta({ id: 'Signup' });
export type Signup = z.infer<typeof signupSchema>;

export const loginSchema = z.strictObject({ email, password }).meta({ id: 'Login' });
export type Login = z.infer<typeof loginSchema>;

export const userSchema = z.object({ id: z.string(), email: z.string(), name: z.string() }).meta({ id: 'User' });
export type User = z.infer<typeof userSchema>;

export const workspaceSchema = z
  .object({ id: z.string(), slug: z.string(), name: z.string() })
  .meta({ id: 'Workspace' });
export type Workspace = z.infer<typeof workspaceSchema>;

export const myWorkspaceSchema = workspaceSchema
  .extend({ role: memberRoleSchema.nullable().meta({ description: 'Null when the caller is an API key.' }) })
  .meta({ id: 'MyWorkspace' });

export const sessionAnswerSchema = z
  .object({ user: userSchema, workspaces: z.array(myWorkspaceSchema) })
  .meta({ id: 'Session', description: 'The signed-in user and the workspaces they belong to.' });

export const meSchema = z
  .object({
    user: orNull(userSchema).meta({ description: 'Null when the caller is an API key.' }),
    apiKey: z
      .object({ id: z.string(), name: z.string(), scopes: z.array(apiKeyScopeSchema) })
      .nullable()
      .meta({ description: 'The key, when the caller authenticated with one.' }),
    workspaces: z.array(myWorkspaceSchema),
  })
  .meta({ id: 'Me' });
export type Me = z.infer<typeof meSchema>;

export const createWorkspaceSchema = z
  .strictObject({
    name: z
      .string()
      .trim()
      .min(1)
      .max(ACCOUNT_LIMITS.maxNameLength)
      .meta({ ...notBlank, example: 'Payments' }),
  })
  .meta({ id: 'CreateWorkspace' });
export const updateWorkspaceSchema = createWorkspaceSchema.meta({ id: 'UpdateWorkspace' });

export const addMemberSchema = z.strictObject({ email, role: memberRoleSchema }).meta({ id: 'AddMember' });
export const updateMemberSchema = z.strictObject({ role: memberRoleSchema }).meta({ id: 'UpdateMember' });

export const memberSchema = z
  .object({
    userId: z.string(),
    email: z.string(),
    name: z.string(),
    role: memberRoleSchema,
    addedAt: z.string().meta({ format: 'date-time' }),
  })
  .meta({ id: 'Member' });
export type Member = z.infer<typeof memberSchema>;
export const memberListSchema = z.object({ items: z.array(memberSchema) }).meta({ id: 'MemberList' });

export const actorSchema = z
  .object({ type: z.enum(['user', 'apiKey']), id: z.string(), name: z.string() })
  .meta({ id: 'Actor', description: 'Who did something: a person or an API key.' });
export type Actor = z.infer<typeof actorSchema>;

export const createApiKeySchema = z
  .strictObject({
    name: z
      .string()
      .trim()
      .min(1)
      .max(ACCOUNT_LIMITS.maxApiKeyNameLength)
      .meta({ ...notBlank, example: 'billing service' }),
    scopes: z
      .array(apiKeyScopeSchema)
      .min(1)
      .optional()
      .meta({ description: 'Defaults to jobs:read, jobs:write and queues:read.' }),
  })
  .meta({ id: 'CreateApiKey' });

export const apiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().meta({ description: 'The first characters of the key, to recognise it.' }),
    scopes: z.array(apiKeyScopeSchema),
    createdAt: z.string().meta({ format: 'date-time' }),
    createdBy: orNull(actorSchema),
    lastUsedAt: z.string().nullable().meta({ format: 'date-time', description: 'Updated at most once a minute.' }),
    revokedAt: z.string().nullable().meta({ format: 'date-time' }),
  })
  .meta({ id: 'ApiKey' });
export type ApiKeyInfo = z.infer<typeof apiKeySchema>;
export const createdApiKeySchema = apiKeySchema
  .extend({ key: z.string().meta({ description: 'The secret key: shown this once, stored only hashed.' }) })
  .meta({ id: 'CreatedApiKey' });
export const apiKeyListSchema = z.object({ items: z.array(apiKeySchema) }).meta({ id: 'ApiKeyList' });

export const createJobTokenSchema = z
  .strictObject({
    ttlSeconds: z
      .number()
      .int()
      .min(1)
      .max(ACCOUNT_LIMITS.maxJobTokenTtlSeconds)
      .optional()
      .meta({ description: 'Lifetime of the token; 900 (15 minutes) by default.' }),
  })
  .meta({ id: 'CreateJobToken' });
export const jobTokenSchema = z
  .object({
    token: z.string().meta({
      description:
        'Lets its bearer read this one job (`Authorization: Bearer`) and subscribe to it (Socket.io `auth.token`), nothing else.',
    }),
    jobId: z.string(),
    expiresAt: z.string().meta({ format: 'date-time' }),
  })
  .meta({ id: 'JobToken' });

export const AUDIT_ACTIONS = [
  'workspace.created',
  'workspace.updated',
  'workspace.deleted',
  'member.added',
  'member.removed',
  'member.role_changed',
  'api_key.created',
  'api_key.revoked',
  'job.cancelled',
  'job.retried',
  'job.promoted',
  'job_token.created',
  'queue.paused',
  'queue.resumed',
  'queue.drained',
  'webhook_secret.rotated',
  'webhook_endpoint.created',
  'webhook_endpoint.deleted',
  'schedule.created',
  'schedule.updated',
  'schedule.deleted',
  'artifact.deleted',
  'job_type.registered',
  'workspace.limits_changed',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const auditEntrySchema = z
  .object({
    id: z.string(),
    action: z.enum(AUDIT_ACTIONS),
    actor: actorSchema,
    target: z.object({ type: z.string(), id: z.string() }),
    details: z.record(z.string(), z.unknown()),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    at: z.string().meta({ format: 'date-time' }),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof auditEntrySchema>;
export const auditListSchema = z
  .object({ items: z.array(auditEntrySchema), nextCursor: z.string().nullable() })
  .meta({ id: 'AuditList', description: 'Audit entries, newest first.' });
export const listAuditQuerySchema = z.strictObject({
  action: z.enum(AUDIT_ACTIONS).optional(),
  limit: z.coerce.number().int().min(1).max(ACCOUNT_LIMITS.maxAuditListLimit).optional(),
  cursor: z.string().min(1).max(200).optional(),
});
export type ListAuditQuery = z.infer<typeof listAuditQuerySchema>;
