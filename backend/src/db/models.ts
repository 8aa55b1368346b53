import { Schema, model, type InferSchemaType } from 'mongoose';

// Ids are strings we generate (ULIDs: time-ordered, so `_id` order is creation order), except the
// runs of schedules, which keep the ids BullMQ's job schedulers give them (`repeat:<scheduleId>:<ms>`).

const workspaceSchema = new Schema(
  {
    _id: { type: String, required: true },
    slug: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    /** Key of the webhook signatures (base64url of 32 random bytes); created on first need. */
    webhookSecret: { type: String, default: null },
  },
  { timestamps: true, versionKey: false },
);
export const WorkspaceModel = model('Workspace', workspaceSchema, 'workspaces');
export type WorkspaceDoc = InferSchemaType<typeof workspaceSchema>;

const userSchema = new Schema(
  {
    _id: { type: String, required: true },
    email: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    passwordHash: { type: String, required: true },
  },
  { timestamps: true, versionKey: false },
);
export const UserModel = model('User', userSchema, 'users');
export type UserDoc = InferSchemaType<typeof userSchema>;

const membershipSchema = new Schema(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    userId: { type: String, required: true },
    role: { type: String, enum: ['owner', 'admin', 'member', 'viewer'], required: true },
  },
  { timestamps: true, versionKey: false },
);
membershipSchema.index({ workspaceId: 1, userId: 1 }, { unique: true });
membershipSchema.index({ userId: 1 });
export const MembershipModel = model('Membership', membershipSchema, 'memberships');
export type MembershipDoc = InferSchemaType<typeof membershipSchema>;

/** The audit log: who did what, when, from where; insert-only, newest first by `_id` (a ULID). */
const auditEntrySchema = new Schema(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    action: { type: String, required: true },
    actor: { type: Schema.Types.Mixed, required: true },
    target: { type: Schema.Types.Mixed, required: true },
    details: { type: Schema.Types.Mixed, default: {} },
    ip: { type: String, default: null },
    userAgent: { type: String, default: null },
    at: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);
auditEntrySchema.index({ workspaceId: 1, _id: -1 });
auditEntrySchema.index({ workspaceId: 1, action: 1, _id: -1 });
export const AuditEntryModel = model('AuditEntry', auditEntrySchema, 'audit_log');
export type AuditEntryDoc = InferSchemaType<typeof auditEntrySchema>;

const apiKeySchema = new Schema(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    name: { type: String, required: true },
    /** SHA-256 of the key: keys are long random strings, so a fast hash is safe and lookups stay cheap. */
    hash: { type: String, required: true, unique: true },
    prefix: { type: String, required: true },
    scopes: { type: [String], required: true },
    revokedAt: { type: Date, default: null },
    lastUsedAt: { type: Date, default: null },
    /** Who created it (an Actor), null for keys made by the bootstrap. */
    createdBy: { type: Schema.Types.Mixed, default: null },
  },
  { timestamps: true, versionKey: false },
);
apiKeySchema.index({ workspaceId: 1, _id: 1 });
export const ApiKeyModel = model('ApiKey', apiKeySchema, 'api_keys');
export type ApiKeyDoc = InferSchemaType<typeof apiKeySchema>;

/** A job's durable history, projected from its events. Kept long after Redis forgets the job. */
const jobRecordSchema = new Schema(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    type: { type: String, required: true },
    queue: { type: String, required: true },
    status: { type: String, required: true },
    progress: { type: Number, default: 0 },
    // Payloads and results are stored as JSON text: their keys are the submitter's and may hold
    // characters ('.', '$') that MongoDB and FerretDB treat specially in field names.
    payload: { type: String, default: '{}' },
    result: { type: String, default: 'null' },
    /** `{ message }` of the last failure; where it was thrown is `errorStack`, as events carry them. */
    error: { type: Schema.Types.Mixed, default: null },
    errorStack: { type: String, default: null },
    attemptsMade: { type: Number, default: 0 },
    attempts: { type: Number, default: 1 },
    priority: { type: Number, default: 0 },
    backoff: { type: Schema.Types.Mixed, default: null },
    timeoutMs: { type: Number, default: null },
    idempotencyKey: { type: String, default: null },
    webhookUrl: { type: String, default: null },
    createdAt: { type: Date, required: true },
    runAt: { type: Date, default: null },
    startedAt: { type: Date, default: null },
    finishedAt: { type: Date, default: null },
    /** Who claimed the job (a Claim), or null. */
    claimedBy: { type: Schema.Types.Mixed, default: null },
    seq: { type: Number, default: 0 },
  },
  { versionKey: false, minimize: false },
);
// Lists are newest first by (createdAt, _id): schedule runs have BullMQ's ids, not ULIDs.
jobRecordSchema.index({ workspaceId: 1, createdAt: -1, _id: -1 });
jobRecordSchema.index({ workspaceId: 1, status: 1, createdAt: -1, _id: -1 });
jobRecordSchema.index({ workspaceId: 1, type: 1, createdAt: -1, _id: -1 });
// The console's filters by queue and by who claimed: each page is one index range, newest first.
jobRecordSchema.index({ workspaceId: 1, queue: 1, createdAt: -1, _id: -1 });
jobRecordSchema.index({ workspaceId: 1, 'claimedBy.id': 1, createdAt: -1, _id: -1 });
export const JobRecordModel = model('JobRecord', jobRecordSchema, 'jobs');
export type JobRecordDoc = InferSchemaType<typeof jobRecordSchema>;

/**
 * Log lines of jobs, projected from `job.log` events; insert-only. `_id` is `<jobId>:<seq>:<index>`
 * (the event's seq, the line's place in it), so a replayed batch inserts nothing twice.
 */
const jobLogSchema = new Schema(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    jobId: { type: String, required: true },
    seq: { type: Number, required: true },
    index: { type: Number, required: true },
    line: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
jobLogSchema.index({ workspaceId: 1, jobId: 1, seq: 1, index: 1 });
export const JobLogModel = model('JobLog', jobLogSchema, 'job_logs');
export type JobLogDoc = InferSchemaType<typeof jobLogSchema>;

/**
 * One attempt to deliver a webhook; insert-only. `_id` is `<deliveryId>:<attempt>`, and `deliveryId`
 * is `<jobId>:<eventType>:<seq>` (the final event's seq).
 */
const webhookDeliverySchema = new Schema(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    jobId: { type: String, required: true },
    deliveryId: { type: String, required: true },
    url: { type: String, required: true },
    eventType: { type: String, required: true },
    attempt: { type: Number, required: true },
    status: { type: Number, default: null },
    ok: { type: Boolean, required: true },
    error: { type: String, default: null },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
webhookDeliverySchema.index({ workspaceId: 1, jobId: 1, at: 1 });
export const WebhookDeliveryModel = model('WebhookDelivery', webhookDeliverySchema, 'webhook_deliveries');
export type WebhookDeliveryDoc = InferSchemaType<typeof webhookDeliverySchema>;

/**
 * Schedules: the source of truth; each is mirrored into a BullMQ job scheduler (id = `_id`) on its
 * job type's queue. `job` is stored as JSON text, like job payloads (submitters' keys).
 */
const scheduleSchema = new Schema(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    name: { type: String, required: true },
    cron: { type: String, required: true },
    timezone: { type: String, required: true },
    /** The queue the job scheduler lives on (the job type's), to find it again when the type changes. */
    queue: { type: String, required: true },
    job: { type: String, required: true },
  },
  { timestamps: true, versionKey: false },
);
scheduleSchema.index({ workspaceId: 1, _id: 1 });
export const ScheduleModel = model('Schedule', scheduleSchema, 'schedules');
export type ScheduleDoc = InferSchemaType<typeof scheduleSchema>;

/** Comments on jobs; insert-only, oldest first by `_id` (a ULID). */
const commentSchema = new Schema(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    jobId: { type: String, required: true },
    body: { type: String, required: true },
    author: { type: Schema.Types.Mixed, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
commentSchema.index({ workspaceId: 1, jobId: 1, _id: 1 });
export const CommentModel = model('Comment', commentSchema, 'comments');
export type CommentDoc = InferSchemaType<typeof commentSchema>;

/**
 * A job's activity, insert-only: what people did to it (cancel, retry, claim, comment…, `_id` a ULID,
 * written by the API and carried by the action's event as `activity.id`) and its attempts (started,
 * retrying, completed, failed; `_id` `<jobId>:<seq>`, written by the history projector from its
 * events, `actor` null). The workspace's feed reads it newest first by `(at, _id)`: the two kinds'
 * ids do not sort together by time.
 */
const activitySchema = new Schema(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    jobId: { type: String, required: true },
    action: { type: String, required: true },
    actor: { type: Schema.Types.Mixed, default: null },
    details: { type: Schema.Types.Mixed, default: {} },
    at: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);
activitySchema.index({ workspaceId: 1, jobId: 1, _id: 1 });
// The workspace's feed: everything, or one action or people's actions (an `$in` of them, merged in order).
activitySchema.index({ workspaceId: 1, at: -1, _id: -1 });
activitySchema.index({ workspaceId: 1, action: 1, at: -1, _id: -1 });
export const ActivityModel = model('Activity', activitySchema, 'job_activity');
export type ActivityDoc = InferSchemaType<typeof activitySchema>;

/** Saved job views, shared by the workspace. `filters` is stored as JSON text (like payloads). */
const savedViewSchema = new Schema(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    name: { type: String, required: true },
    filters: { type: String, required: true },
    createdBy: { type: Schema.Types.Mixed, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
savedViewSchema.index({ workspaceId: 1, _id: 1 });
export const SavedViewModel = model('SavedView', savedViewSchema, 'saved_views');

/** Workspace-wide webhook endpoints: each gets the final events it names of every job of the workspace. */
const webhookEndpointSchema = new Schema(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    url: { type: String, required: true },
    events: { type: [String], required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
webhookEndpointSchema.index({ workspaceId: 1, _id: 1 });
export const WebhookEndpointModel = model('WebhookEndpoint', webhookEndpointSchema, 'webhook_endpoints');
export type WebhookEndpointDoc = InferSchemaType<typeof webhookEndpointSchema>;

/**
 * The job types workspaces registered, one document per version; insert-only. `_id` is
 * `<workspaceId>:<name>:<version>`, so two processes registering the same change at once cannot both
 * add a version (the second insert fails with E11000). The schemas are stored as JSON text: JSON
 * Schema's own keys (`$schema`, `$ref`, `$defs`) are not valid MongoDB field names everywhere.
 */
const jobTypeVersionSchema = new Schema(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    name: { type: String, required: true },
    version: { type: Number, required: true },
    /** The queue within the workspace, as registered (`emails`), not the BullMQ queue name. */
    queue: { type: String, required: true },
    payloadSchema: { type: String, required: true },
    resultSchema: { type: String, default: null },
    defaults: { type: String, required: true },
    /** SHA-256 of the definition: registering it unchanged adds no version. */
    digest: { type: String, required: true },
    registeredAt: { type: Date, required: true },
  },
  { versionKey: false },
);
jobTypeVersionSchema.index({ workspaceId: 1, name: 1, version: -1 });
export const JobTypeVersionModel = model('JobTypeVersion', jobTypeVersionSchema, 'job_type_versions');
export type JobTypeVersionDoc = InferSchemaType<typeof jobTypeVersionSchema>;
