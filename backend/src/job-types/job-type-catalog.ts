import { z } from 'zod';
import type { JobTypeInfo, RemoteWorkerInfo } from '@flightdeck/contract';
import { JOB_TYPES, QUEUES, type AnyJobType, type QueueName } from '@flightdeck/workers';
import type { ProcessHeartbeat } from '../ops/process-registry';
import type { JobTypeRegistry, RegisteredJobType } from './job-type-registry';

/** Worker processes serving a queue (or type) now, how many jobs they run at once together, and who they are. */
export interface QueueWorkers {
  count: number;
  concurrency: number;
  instances?: RemoteWorkerInfo[];
}

export interface JobTypeCatalogDeps {
  registry: JobTypeRegistry;
  /** The live processes (their heartbeats), for the built-in types' workers. */
  liveProcesses(): Promise<ProcessHeartbeat[]>;
  /** The workspace's own workers serving each of its registered types (by type name). */
  registeredWorkers?(workspaceId: string): Promise<ReadonlyMap<string, QueueWorkers>>;
}

const NO_WORKERS: QueueWorkers = { count: 0, concurrency: 0 };

/** What `GET /v1/job-types` lists: the built-in types, then the workspace's own, by name. */
export class JobTypeCatalog {
  constructor(private readonly deps: JobTypeCatalogDeps) {}

  async list(workspaceId: string): Promise<JobTypeInfo[]> {
    const [registered, processes, remote] = await Promise.all([
      this.deps.registry.types(workspaceId),
      this.deps.liveProcesses(),
      this.deps.registeredWorkers?.(workspaceId) ?? Promise.resolve(new Map<string, QueueWorkers>()),
    ]);
    const builtIn = [...JOB_TYPES.values()].map((definition) =>
      presentBuiltIn(definition, builtInWorkers(definition.queue, processes)),
    );
    const own = [...registered.values()]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((type) => presentRegistered(type, remote.get(type.name) ?? { ...NO_WORKERS, instances: [] }));
    return [...builtIn, ...own];
  }

  /** One type the workspace can submit, as `list` shows it; undefined when it has none of that name. */
  async get(workspaceId: string, name: string): Promise<JobTypeInfo | undefined> {
    return (await this.list(workspaceId)).find((type) => type.name === name);
  }

  /** A registered type at the version given (the one a registration just stored), as `list` shows it. */
  async present(type: RegisteredJobType): Promise<JobTypeInfo> {
    const remote = await (this.deps.registeredWorkers?.(type.workspaceId) ?? Promise.resolve(undefined));
    return presentRegistered(type, remote?.get(type.name) ?? { ...NO_WORKERS, instances: [] });
  }
}

/** The built-in worker processes that run a queue, and their concurrency on it together. */
export function builtInWorkers(queue: QueueName, processes: readonly ProcessHeartbeat[]): QueueWorkers {
  const serving = processes.filter(
    (process) => process.roles.includes('worker') && (!process.workerQueues || process.workerQueues.includes(queue)),
  );
  return {
    count: serving.length,
    concurrency: serving.reduce((sum, process) => sum + (process.workerConcurrency ?? QUEUES[queue].concurrency), 0),
  };
}

/** Built-in types' JSON Schemas, made once: their zod schemas never change while the process runs. */
const builtInSchemas = new Map<string, Pick<JobTypeInfo, 'payloadSchema' | 'resultSchema'>>();

function presentBuiltIn(definition: AnyJobType, workers: QueueWorkers): JobTypeInfo {
  let schemas = builtInSchemas.get(definition.type);
  if (!schemas) {
    schemas = {
      payloadSchema: jsonSchemaOf(definition.payloadSchema),
      ...(definition.resultSchema ? { resultSchema: jsonSchemaOf(definition.resultSchema) } : {}),
    };
    builtInSchemas.set(definition.type, schemas);
  }
  return {
    name: definition.type,
    queue: definition.queue,
    source: 'built-in',
    ...schemas,
    version: 1,
    defaults: definition.defaults ?? {},
    registeredAt: null,
    workers,
  };
}

function presentRegistered(type: RegisteredJobType, workers: QueueWorkers): JobTypeInfo {
  return {
    name: type.name,
    queue: type.queue,
    source: 'registered',
    payloadSchema: type.payloadSchema,
    ...(type.resultSchema ? { resultSchema: type.resultSchema } : {}),
    version: type.version,
    defaults: type.defaults,
    registeredAt: type.registeredAt.toISOString(),
    workers,
  };
}

/**
 * A zod schema as JSON Schema, as a submitter writes the value: input shape, so fields with defaults
 * are optional. What JSON Schema cannot say (a refinement's code) is left open rather than refused.
 */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
