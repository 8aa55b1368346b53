import { Router } from 'express';
import type { Redis } from 'ioredis';
import { pingMongo } from '../../db/connection';
import { metricsRegistry } from '../../metrics';

export interface Readiness {
  /** False once shutdown began: readiness turns 503 first. */
  accepting: boolean;
}

async function pingRedis(redis: Redis, timeoutMs: number): Promise<boolean> {
  try {
    const answer = await Promise.race([
      redis.ping(),
      new Promise<string>((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs).unref()),
    ]);
    return answer === 'PONG';
  } catch {
    return false;
  }
}

/** `/healthz`, `/readyz` and `/metrics`: unauthenticated, for probes and Prometheus. */
export function healthRoutes(redis: Redis, readiness: Readiness): Router {
  // Exact paths only: an edge that blocks `/metrics` matches it case-sensitively (Gateway API), so
  // `/METRICS` or `/metrics/` must not serve the metrics behind its back.
  const router = Router({ caseSensitive: true, strict: true });
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const [redisUp, mongoUp] = await Promise.all([pingRedis(redis, 1_000), pingMongo(1_000)]);
    const checks = { redis: redisUp, mongodb: mongoUp, accepting: readiness.accepting };
    const ready = redisUp && mongoUp && readiness.accepting;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', checks });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(metricsRegistry.contentType).send(await metricsRegistry.metrics());
  });
  return router;
}
