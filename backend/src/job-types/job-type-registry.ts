import { createHash } from 'node:crypto';
import {
  DEFAULT_REGISTERED_QUEUE,
  JOB_TYPE_LIMITS,
  type JobTypeDefaults,
  type RegisterJobType,
} from '@flightdeck/contract';
import { findJobType } from '@flightdeck/workers';
import { JobTypeVersionModel } from '../db/models';
import { compileJsonSchema, InvalidJsonSchemaError, type SchemaCheck } from './json-schema-checker';

/** The latest version of a type a workspace registered, compiled for checking payloads. */
export interface RegisteredJobType {
  workspaceId: string;
  name: string;
  version: number;
  /** The BullMQ queue its jobs wait in: the workspace's own (see `registeredQueueName`). */
  queue: string;
  payloadSchema: Record<string, unknown>;
  resultSchema: Record<string, unknown> | null;
  defaults: JobTypeDefaults;
  registeredAt: Date;
  /** SHA-256 of the definition, to tell a changed registration from a repeated one. */
  digest: string;
  checkPayload: SchemaCheck;
}

/** A name that a built-in type has: a workspace's type may not hide it. */
export class JobTypeNameTakenError extends Error {
  override name = 'JobTypeNameTakenError';
}

/** The workspace has registered as many types as it may. */
export class JobTypeLimitError extends Error {
  override name = 'JobTypeLimitError';
}

/**
 * The BullMQ queue of a workspace's queue. Each workspace's types wait in queues of their own, so a
 * worker that serves one workspace's queue can never be handed another workspace's job.
 */
export const registeredQueueName = (workspaceId: string, queue: string) => `ws-${workspaceId.toLowerCase()}-${queue}`;

/** Registrations that may collide with another process's at once before one gives up. */
const REGISTER_ATTEMPTS = 5;

interface CachedTypes {
  types: ReadonlyMap<string, RegisteredJobType>;
  loadedAt: number;
}

/**
 * The job types workspaces register, stored in MongoDB one version per document and kept when their
 * workers come and go. Reads are cached per workspace for `cacheMs` (submits of registered types
 * then cost no MongoDB read); a name not in the cache is always looked up afresh, so a type just
 * registered through another process is found at once, and a changed schema applies everywhere
 * within `cacheMs`.
 */
export class JobTypeRegistry {
  private readonly cache = new Map<string, CachedTypes>();
  /** Counts this process's registrations: a read that began before one must not cache what it read. */
  private registrations = 0;
  /** Compiled schemas by version id: a version never changes, so it is compiled once per process. */
  private readonly compiled = new Map<string, RegisteredJobType>();

  constructor(private readonly cacheMs = 2_000) {}

  /**
   * Registers a definition under a name. Unchanged (same queue, schemas and defaults as the latest
   * version): nothing is added. Changed: it becomes the next version.
   */
  async register(
    workspaceId: string,
    name: string,
    input: RegisterJobType,
  ): Promise<{ type: RegisteredJobType; created: boolean }> {
    if (findJobType(name)) throw new JobTypeNameTakenError(`"${name}" is a built-in job type`);
    // Both schemas must compile before anything is stored.
    checkSchema('payloadSchema', input.payloadSchema);
    if (input.resultSchema) checkSchema('resultSchema', input.resultSchema);
    const definition = {
      queue: input.queue ?? DEFAULT_REGISTERED_QUEUE,
      payloadSchema: input.payloadSchema,
      resultSchema: input.resultSchema ?? null,
      defaults: input.defaults ?? {},
    };
    const digest = createHash('sha256').update(canonicalJson(definition)).digest('hex');
    for (let attempt = 1; ; attempt++) {
      const types = await this.load(workspaceId);
      const latest = types.get(name);
      if (latest?.digest === digest) return { type: latest, created: false };
      if (!latest && types.size >= JOB_TYPE_LIMITS.maxTypesPerWorkspace)
        throw new JobTypeLimitError(`a workspace registers at most ${JOB_TYPE_LIMITS.maxTypesPerWorkspace} job types`);
      const version = (latest?.version ?? 0) + 1;
      try {
        const record = await JobTypeVersionModel.create({
          _id: `${workspaceId}:${name}:${version}`,
          workspaceId,
          name,
          version,
          queue: definition.queue,
          payloadSchema: JSON.stringify(definition.payloadSchema),
          resultSchema: definition.resultSchema ? JSON.stringify(definition.resultSchema) : null,
          defaults: JSON.stringify(definition.defaults),
          digest,
          registeredAt: new Date(),
        });
        this.registrations++;
        this.cache.delete(workspaceId);
        return { type: this.compile(record.toObject()), created: true };
      } catch (error) {
        // Another registration added this version first (E11000), or the insert collided with it
        // otherwise (FerretDB's SQLite answers a busy database): compare with what is there now.
        this.registrations++;
        this.cache.delete(workspaceId);
        if (attempt >= REGISTER_ATTEMPTS) throw error;
        if (!isDuplicateKey(error) && (await this.load(workspaceId)).get(name)?.version !== version) throw error;
      }
    }
  }

  /** The workspace's types, each at its latest version. */
  async types(workspaceId: string): Promise<ReadonlyMap<string, RegisteredJobType>> {
    const cached = this.cache.get(workspaceId);
    if (cached && Date.now() - cached.loadedAt < this.cacheMs) return cached.types;
    return this.load(workspaceId);
  }

  /**
   * The workspace's types, sure to be current for `names`: from the cache when it holds them all,
   * else afresh (a name it lacks may have been registered a moment ago through another process).
   */
  async typesFor(workspaceId: string, names: Iterable<string>): Promise<ReadonlyMap<string, RegisteredJobType>> {
    const types = await this.types(workspaceId);
    for (const name of names) if (!types.has(name)) return this.load(workspaceId);
    return types;
  }

  /** Reads every version of the workspace's types and keeps the latest of each. */
  private async load(workspaceId: string): Promise<ReadonlyMap<string, RegisteredJobType>> {
    const registrationsBefore = this.registrations;
    const records = await JobTypeVersionModel.find({ workspaceId }).sort({ name: 1, version: -1 }).lean();
    const types = new Map<string, RegisteredJobType>();
    for (const record of records) if (!types.has(record.name)) types.set(record.name, this.compile(record));
    if (registrationsBefore !== this.registrations) return types;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(workspaceId, { types, loadedAt: Date.now() });
    return types;
  }

  private compile(record: StoredVersion): RegisteredJobType {
    const known = this.compiled.get(record._id);
    if (known) return known;
    const payloadSchema = JSON.parse(record.payloadSchema) as Record<string, unknown>;
    const type: RegisteredJobType = {
      workspaceId: record.workspaceId,
      name: record.name,
      version: record.version,
      queue: registeredQueueName(record.workspaceId, record.queue),
      payloadSchema,
      resultSchema: record.resultSchema ? (JSON.parse(record.resultSchema) as Record<string, unknown>) : null,
      defaults: JSON.parse(record.defaults) as JobTypeDefaults,
      registeredAt: record.registeredAt,
      digest: record.digest,
      checkPayload: compileJsonSchema(payloadSchema),
    };
    if (this.compiled.size > 10_000) this.compiled.clear();
    this.compiled.set(record._id, type);
    return type;
  }
}

interface StoredVersion {
  _id: string;
  workspaceId: string;
  name: string;
  version: number;
  queue: string;
  payloadSchema: string;
  resultSchema?: string | null;
  defaults: string;
  digest: string;
  registeredAt: Date;
}

/** Compiles a registration's schema, saying which one it is when it cannot be used. */
function checkSchema(field: 'payloadSchema' | 'resultSchema', schema: Record<string, unknown>): void {
  try {
    compileJsonSchema(schema);
  } catch (error) {
    if (error instanceof InvalidJsonSchemaError) error.field = field;
    throw error;
  }
}

const isDuplicateKey = (error: unknown) => (error as { code?: number })?.code === 11000;

/** JSON with object keys sorted, so that the same definition always has the same digest. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
