import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { findJobType, redisKeys } from '@flightdeck/workers';
import { freePort, startFerretDb } from '@flightdeck/backend/dist/services/local-services';
import { findPidByArgument, processCpu, type CpuSource } from './cpu-usage';
import type { HttpTarget } from './http-load';
import { startServerProcess, type ServerProcess } from './server-process';
import type { Teardown } from './teardown';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

export const JOB_TYPE = 'demo.sleep';
/** One job as both servers receive it. */
export const JOB_BODY = { type: JOB_TYPE, payload: { ms: 0 } };
/** The queue Flightdeck puts `demo.sleep` on; the bare server and the raw phases use the same name. */
export const QUEUE_NAME = findJobType(JOB_TYPE)!.queue;

/**
 * Which server a phase loads: the bare Express + BullMQ endpoint, Flightdeck, or (diagnostic)
 * Flightdeck with its history projector held off.
 */
export type Variant = 'bare' | 'ours' | 'oursWithoutHistory';

/** As the test suite finds it: FERRETDB_BIN, else what scripts/run.sh installed, else a hand-built one. */
export function findFerretDbBinary(): string {
  const candidates = [process.env.FERRETDB_BIN, path.join(REPO_ROOT, '.tools', 'bin', 'ferretdb'), '/tmp/fdb/ferretdb'];
  return candidates.find((candidate) => candidate && existsSync(candidate)) ?? candidates[1]!;
}

export interface TargetEnvironment {
  teardown: Teardown;
  /** Where phases keep their files (FerretDB data); removed at the end. */
  dir: string;
  redisUrl: string;
  /** The bench's own Redis connection, for setup keys. */
  redis: Redis;
  apiKey: string;
  ferretDbBinary: string;
  /** When set, server children run with `--cpu-prof` into a folder per phase under it. */
  cpuProfileDir: string | null;
}

/** A server under load, with what it owns. */
export interface Target {
  server: ServerProcess;
  /** The phase's BullMQ (and Flightdeck) key prefix. */
  prefix: string;
  /** The processes of this target to meter besides the bench and Redis: the server, and its FerretDB. */
  cpu: CpuSource[];
  request(route: 'submit' | 'batch', body: string): HttpTarget;
  stop(): Promise<void>;
}

/**
 * Starts what a phase loads on a fresh Redis prefix. Flightdeck also gets a FerretDB of its own, stopped
 * with it, so history writes it leaves unfinished cannot run into the next phase.
 */
export async function startTarget(env: TargetEnvironment, variant: Variant, phase: string): Promise<Target> {
  const prefix = `bench-${phase}`;
  const profileDir = env.cpuProfileDir ? path.join(env.cpuProfileDir, phase) : null;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const port = await freePort();
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${env.apiKey}` };

  if (variant === 'bare') {
    const server = await startServerProcess({
      name: phase,
      script: path.join(__dirname, 'bare-server.js'),
      args: ['--port', String(port), '--redis-url', env.redisUrl, '--prefix', prefix, '--queue', QUEUE_NAME],
      nodeArgs,
      port,
      readyPath: '/healthz',
      teardown: env.teardown,
    });
    return {
      server,
      prefix,
      cpu: [processCpu('server', server.pid)],
      request: (route, body) => {
        if (route === 'batch') throw new Error('the bare server has no batch endpoint');
        return { url: `${server.baseUrl}/jobs`, headers, body };
      },
      stop: () => server.stop(),
    };
  }

  const ferret = await startPhaseFerretDb(env, phase);
  if (variant === 'oursWithoutHistory') {
    // Diagnostic: the history projector only writes while it holds this lease, so holding it here
    // shows what the API costs when history is projected elsewhere.
    await env.redis.set(redisKeys(prefix).historyLeader, 'held by the bench', 'PX', 600_000);
  }
  let server: ServerProcess;
  try {
    server = await startServerProcess({
      name: phase,
      script: require.resolve('@flightdeck/backend'),
      nodeArgs,
      env: flightdeckEnv(
        env,
        { ROLES: 'api', PORT: String(port), REDIS_PREFIX: prefix, MONGODB_URI: ferret.url },
        phase,
      ),
      port,
      readyPath: '/readyz',
      teardown: env.teardown,
    });
  } catch (error) {
    await ferret.stop();
    throw error;
  }
  return {
    server,
    prefix,
    cpu: [processCpu('server', server.pid), ferret.cpu],
    request: (route, body) => ({
      url: `${server.baseUrl}${route === 'batch' ? '/v1/jobs/batch' : '/v1/jobs'}`,
      headers,
      body,
    }),
    stop: async () => {
      await server.stop();
      await ferret.stop();
    },
  };
}

/** A FerretDB of one phase's own, stopped (and its data removed) with the phase. */
async function startPhaseFerretDb(env: TargetEnvironment, phase: string) {
  const dataDir = path.join(env.dir, `${phase}-ferretdb`);
  const ferretPort = await freePort();
  const ferret = await startFerretDb({ port: ferretPort, dataDir, binary: env.ferretDbBinary, database: 'flightdeck' });
  const stop = env.teardown.add(`${phase} ferretdb`, async () => {
    await ferret.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const pid = findPidByArgument(`--listen-addr=127.0.0.1:${ferretPort}`);
  const cpu: CpuSource = pid ? processCpu('ferretdb', pid) : { name: 'ferretdb', read: () => null };
  return { url: ferret.url, cpu, stop };
}

/** A Flightdeck child's whole environment: production mode, quiet logs, the bench's Redis and API key. */
function flightdeckEnv(
  env: TargetEnvironment,
  specific: { ROLES: string; PORT: string; REDIS_PREFIX: string; MONGODB_URI: string } & Record<string, string>,
  dataName: string,
): Record<string, string> {
  return {
    NODE_ENV: 'production',
    REDIS_URL: env.redisUrl,
    BOOTSTRAP_API_KEY: env.apiKey,
    LOG_LEVEL: 'warn',
    // The limiters still run (their cost is measured) but no bench request is refused.
    RATE_LIMIT_PER_CALLER: '1000000000',
    RATE_LIMIT_PER_IP: '1000000000',
    SOCKET_HANDSHAKES_PER_IP: '1000000000',
    DATA_DIR: path.join(env.dir, `${dataName}-data`),
    ...specific,
  };
}

/** Flightdeck as deployed: one process serving the API and the realtime gateway, one running the jobs. */
export interface EndToEndTarget {
  /** `ROLES=api,gateway`: REST API, history projector, Socket.IO gateway. */
  api: ServerProcess;
  /** `ROLES=worker`: the BullMQ workers. */
  worker: ServerProcess;
  prefix: string;
  /** apiGateway, worker and ferretdb, to meter besides the bench and Redis. */
  cpu: CpuSource[];
  request(route: 'submit' | 'batch', body: string): HttpTarget;
  stop(): Promise<void>;
}

/**
 * Starts Flightdeck for the end-to-end phases on a fresh prefix, with a FerretDB of its own: an
 * `api,gateway` process and a `worker` process running `workerConcurrency` jobs at a time (progress
 * interval left at its default); `withoutHistory` holds the history projector off (diagnostic).
 */
export async function startEndToEndTarget(
  env: TargetEnvironment,
  phase: string,
  options: { workerConcurrency: number; withoutHistory: boolean },
): Promise<EndToEndTarget> {
  const prefix = `bench-${phase}`;
  // Diagnostic, as for the submit phases: the history projector only writes while it holds this lease.
  if (options.withoutHistory) await env.redis.set(redisKeys(prefix).historyLeader, 'held by the bench', 'PX', 600_000);
  const nodeArgs = (role: string) => {
    if (!env.cpuProfileDir) return [];
    const dir = path.join(env.cpuProfileDir, phase, role);
    mkdirSync(dir, { recursive: true });
    return ['--cpu-prof', `--cpu-prof-dir=${dir}`];
  };
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${env.apiKey}` };
  const ferret = await startPhaseFerretDb(env, phase);
  const started: ServerProcess[] = [];
  const stopAll = async () => {
    await Promise.all(started.map((server) => server.stop()));
    await ferret.stop();
  };
  try {
    const apiPort = await freePort();
    let workerPort = await freePort();
    while (workerPort === apiPort) workerPort = await freePort();
    const common = { REDIS_PREFIX: prefix, MONGODB_URI: ferret.url };
    // Both at once (the worker role does not bootstrap); a child that started is stopped again if the other fails.
    const children = await Promise.allSettled([
      startServerProcess({
        name: `${phase}-api`,
        script: require.resolve('@flightdeck/backend'),
        nodeArgs: nodeArgs('api'),
        env: flightdeckEnv(env, { ROLES: 'api,gateway', PORT: String(apiPort), ...common }, `${phase}-api`),
        port: apiPort,
        readyPath: '/readyz',
        teardown: env.teardown,
      }),
      startServerProcess({
        name: `${phase}-worker`,
        script: require.resolve('@flightdeck/backend'),
        nodeArgs: nodeArgs('worker'),
        env: flightdeckEnv(
          env,
          {
            ROLES: 'worker',
            PORT: String(workerPort),
            WORKER_CONCURRENCY: String(options.workerConcurrency),
            ...common,
          },
          `${phase}-worker`,
        ),
        port: workerPort,
        readyPath: '/readyz',
        teardown: env.teardown,
      }),
    ]);
    for (const child of children) if (child.status === 'fulfilled') started.push(child.value);
    const failed = children.find((child) => child.status === 'rejected');
    if (failed) throw failed.reason;
    const [api, worker] = started as [ServerProcess, ServerProcess];
    return {
      api,
      worker,
      prefix,
      cpu: [processCpu('apiGateway', api.pid), processCpu('worker', worker.pid), ferret.cpu],
      request: (route, body) => ({
        url: `${api.baseUrl}${route === 'batch' ? '/v1/jobs/batch' : '/v1/jobs'}`,
        headers,
        body,
      }),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * The end-to-end baseline of the same shape (`raw-pipeline-server.ts`): a bare Express + `addBulk`
 * endpoint with a bare Socket.IO relay of BullMQ's `completed` events, and a plain no-op BullMQ worker
 * process running `workerConcurrency` jobs at a time. No FerretDB: it keeps no history.
 */
export async function startRawPipelineTarget(
  env: TargetEnvironment,
  phase: string,
  options: { workerConcurrency: number },
): Promise<EndToEndTarget> {
  const prefix = `bench-${phase}`;
  const script = path.join(__dirname, 'raw-pipeline-server.js');
  const common = ['--redis-url', env.redisUrl, '--prefix', prefix, '--queue', QUEUE_NAME];
  const apiPort = await freePort();
  let workerPort = await freePort();
  while (workerPort === apiPort) workerPort = await freePort();
  const children = await Promise.allSettled([
    startServerProcess({
      name: `${phase}-api`,
      script,
      args: ['--role', 'api', '--port', String(apiPort), ...common],
      port: apiPort,
      readyPath: '/readyz',
      teardown: env.teardown,
    }),
    startServerProcess({
      name: `${phase}-worker`,
      script,
      args: [
        '--role',
        'worker',
        '--port',
        String(workerPort),
        '--concurrency',
        String(options.workerConcurrency),
        ...common,
      ],
      port: workerPort,
      readyPath: '/readyz',
      teardown: env.teardown,
    }),
  ]);
  const started = children.flatMap((child) => (child.status === 'fulfilled' ? [child.value] : []));
  const stop = async () => void (await Promise.all(started.map((server) => server.stop())));
  const failed = children.find((child) => child.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  const [api, worker] = started as [ServerProcess, ServerProcess];
  return {
    api,
    worker,
    prefix,
    cpu: [processCpu('apiGateway', api.pid), processCpu('worker', worker.pid)],
    request: (route, body) => {
      if (route === 'submit') throw new Error('the raw pipeline has only the batch endpoint');
      return { url: `${api.baseUrl}/v1/jobs/batch`, headers: { 'content-type': 'application/json' }, body };
    },
    stop,
  };
}

/** A server holding sockets for the connections phase: its process, and where clients connect. */
export interface SocketTarget {
  server: ServerProcess;
  /** The server, and its FerretDB if any, to meter besides the bench and Redis. */
  cpu: CpuSource[];
  stop(): Promise<void>;
}

/**
 * Flightdeck as a realtime pod serves: `ROLES=api,gateway` (the API role bootstraps the bench's key
 * and answers readiness), on its own FerretDB.
 */
export async function startGatewayTarget(env: TargetEnvironment, phase: string): Promise<SocketTarget> {
  const port = await freePort();
  const ferret = await startPhaseFerretDb(env, phase);
  try {
    const server = await startServerProcess({
      name: phase,
      script: require.resolve('@flightdeck/backend'),
      env: flightdeckEnv(
        env,
        { ROLES: 'api,gateway', PORT: String(port), REDIS_PREFIX: `bench-${phase}`, MONGODB_URI: ferret.url },
        phase,
      ),
      port,
      readyPath: '/readyz',
      teardown: env.teardown,
    });
    return {
      server,
      cpu: [processCpu('server', server.pid), ferret.cpu],
      stop: async () => {
        await server.stop();
        await ferret.stop();
      },
    };
  } catch (error) {
    await ferret.stop();
    throw error;
  }
}

/** The bare Socket.IO server (`socketio-server.ts`): a room to join, nothing else. */
export async function startRawSocketIoTarget(env: TargetEnvironment, phase: string): Promise<SocketTarget> {
  const port = await freePort();
  const server = await startServerProcess({
    name: phase,
    script: path.join(__dirname, 'socketio-server.js'),
    args: ['--port', String(port)],
    port,
    readyPath: '/healthz',
    teardown: env.teardown,
  });
  return { server, cpu: [processCpu('server', server.pid)], stop: () => server.stop() };
}
