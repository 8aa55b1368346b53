import express, { Router, type Request } from 'express';
import { z } from 'zod';
import {
  idempotencyKeySchema,
  listJobLogsQuerySchema,
  listJobsQuerySchema,
  submitBatchSchema,
  submitJobSchema,
} from '@flightdeck/contract';
import type { JobService } from '../../jobs/job-service';
import { requireScope, workspaceOf } from '../authenticate';
import { unprocessable } from '../http-errors';
import { validate } from '../validate';
import { requireJsonBody } from '../json-body';

const jobIdSchema = z.strictObject({ id: z.string().min(1).max(64) });

/** The `Idempotency-Key` header, which means the same as the body's `idempotencyKey`. */
function idempotencyKeyFrom(req: Request, bodyKey: string | undefined): string | undefined {
  const header = req.get('idempotency-key');
  if (header === undefined) return bodyKey;
  const key = validate(idempotencyKeySchema, header, 'Idempotency-Key');
  if (bodyKey !== undefined && bodyKey !== key) {
    throw unprocessable('validation_failed', 'the Idempotency-Key header and the idempotencyKey field differ', [
      { path: 'idempotencyKey', message: 'differs from the Idempotency-Key header' },
    ]);
  }
  return key;
}

export function jobsRoutes(jobs: JobService, limits: { bodyBytes: number; batchBodyBytes: number }): Router {
  const router = Router();
  const json = express.json({ limit: limits.bodyBytes, strict: false });

  router.post(
    '/jobs/batch',
    requireScope('jobs:write'),
    express.json({ limit: limits.batchBodyBytes, strict: false }),
    requireJsonBody,
    async (req, res) => {
      const { jobs: inputs } = validate(submitBatchSchema, req.body);
      const submitted = await jobs.submit(workspaceOf(req.identity), inputs, 'jobs.');
      res.status(202).json({ jobs: submitted.map(({ job }) => ({ id: job.id, status: job.status })) });
    },
  );

  router.post('/jobs', requireScope('jobs:write'), json, requireJsonBody, async (req, res) => {
    const input = validate(submitJobSchema, req.body);
    const idempotencyKey = idempotencyKeyFrom(req, input.idempotencyKey);
    const [submitted] = await jobs.submit(workspaceOf(req.identity), [
      { ...input, ...(idempotencyKey ? { idempotencyKey } : {}) },
    ]);
    res.status(submitted!.created ? 202 : 200).json(submitted!.job);
  });

  router.get('/jobs', requireScope('jobs:read'), async (req, res) => {
    res.json(await jobs.list(workspaceOf(req.identity), validate(listJobsQuerySchema, req.query)));
  });

  router.get('/jobs/:id', requireScope('jobs:read'), async (req, res) => {
    const { id } = validate(jobIdSchema, req.params);
    res.json(await jobs.get(workspaceOf(req.identity), id));
  });

  router.post('/jobs/:id/cancel', requireScope('jobs:write'), async (req, res) => {
    const { id } = validate(jobIdSchema, req.params);
    res.json(await jobs.cancel(workspaceOf(req.identity), id));
  });

  router.post('/jobs/:id/retry', requireScope('jobs:write'), async (req, res) => {
    const { id } = validate(jobIdSchema, req.params);
    res.json(await jobs.retry(workspaceOf(req.identity), id));
  });

  router.post('/jobs/:id/promote', requireScope('jobs:write'), async (req, res) => {
    const { id } = validate(jobIdSchema, req.params);
    res.json(await jobs.promote(workspaceOf(req.identity), id));
  });

  router.get('/jobs/:id/logs', requireScope('jobs:read'), async (req, res) => {
    const { id } = validate(jobIdSchema, req.params);
    res.json(await jobs.logs(workspaceOf(req.identity), id, validate(listJobLogsQuerySchema, req.query)));
  });

  return router;
}
