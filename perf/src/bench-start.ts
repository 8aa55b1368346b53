import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort, startRedis } from '@flightdeck/backend/dist/services/local-services';
import type { BenchSettings } from './bench-settings';
import { ownCpu, processCpu } from './cpu-usage';
import type { Bench } from './phases';
import { progress } from './progress';
import { findFerretDbBinary } from './targets';
import type { Teardown } from './teardown';

/**
 * What every comparison runs on: a temporary directory, a throw-away Redis (and the bench's own
 * connection to it), the API key the Flightdeck servers get and the CPU meters; `teardown` undoes it.
 */
export async function startBench(settings: BenchSettings, teardown: Teardown): Promise<Bench> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flightdeck-bench-'));
  teardown.add('temporary directory', async () => rmSync(dir, { recursive: true, force: true }));
  const service = await startRedis({ port: await freePort(), dataDir: path.join(dir, 'redis'), durable: false });
  teardown.add('redis', () => service.stop());
  const redis = new Redis(service.url, { maxRetriesPerRequest: 1 });
  redis.on('error', (error) => progress(`bench redis connection: ${error.message}`));
  teardown.add('bench redis connection', async () => {
    await redis.quit().catch(() => redis.disconnect());
  });
  const redisPid = Number(/process_id:(\d+)/.exec(await redis.info('server'))?.[1]);
  progress(`redis ${service.url} (pid ${redisPid})`);
  return {
    settings,
    teardown,
    dir,
    redisUrl: service.url,
    redis,
    apiKey: `fd_bench_${randomBytes(24).toString('base64url')}`,
    ferretDbBinary: findFerretDbBinary(),
    cpuProfileDir: settings.cpuProfileDir,
    cpu: { bench: ownCpu('bench'), redis: processCpu('redis', redisPid) },
    problems: [],
  };
}
