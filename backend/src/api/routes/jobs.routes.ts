import { Router, type Request } from 'express';
import { z } from 'zod';
import {
  ACCOUNT_LIMITS,
  bulkJobActionSchema,
  createJobTokenSchema,
  idempotencyKeySchema,
  listJobLogsQuerySchema,
  listJobsQuerySchema,
  submitBatchSchema,
  submitJobSchema,
} from '@flightdeck/contract';
import type { JobTokens } from '../../accounts/job-tokens';
import type { AuditLog } from '../../audit/audit-log';
import { JobActions, type JobAction } from '../../jobs/job-actions';
import type { JobService } from '../../jobs/job-service';
import { auditContextOf, requirePermission, workspaceOf } from '../authenticate';
import { unprocessable } from '../http-errors';
import { optionalBody, validate, validateQuery } from '../validate';
import { jsonBody, requireJsonBody } from '../json-body';
import { resourceIdSchema } from '../path-params';

const jobIdSchema = z.strictObject({ id: resourceIdSchema });

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

export interface JobsRouteDeps {
  jobs: JobService;
  audit: AuditLog;
  tokens: JobTokens;
  bodyBytes: number;
  batchBodyBytes: number;
}

export function jobsRoutes({ jobs, audit, tokens, ...limits }: JobsRouteDeps): Router {
  const router = Router();
  const json = jsonBody(limits.bodyBytes);
  const actions = new JobActions(jobs, audit);

  router.post(
    '/jobs/batch',
    requirePermission('jobs:write'),
    jsonBody(limits.batchBodyBytes),
    requireJsonBody,
    async (req, res) => {
      const { jobs: inputs } = validate(submitBatchSchema, req.body);
      const submitted = await jobs.submit(workspaceOf(req), inputs, 'jobs.');
      res.status(202).json({ jobs: submitted.map(({ job }) => ({ id: job.id, status: job.status })) });
    },
  );

  /** Cancel or retry many jobs at once, each attributed and audited; one result per id, in order. */
  router.post('/jobs/bulk', requirePermission('jobs:write'), json, requireJsonBody, async (req, res) => {
    const { action, ids } = validate(bulkJobActionSchema, req.body);
    res.json({ results: await actions.performEach(action, workspaceOf(req), ids, auditContextOf(req)) });
  });

  router.post('/jobs', requirePermission('jobs:write'), json, requireJsonBody, async (req, res) => {
    const input = validate(submitJobSchema, req.body);
    const idempotencyKey = idempotencyKeyFrom(req, input.idempotencyKey);
    const [submitted] = await jobs.submit(workspaceOf(req), [
      { ...input, ...(idempotencyKey ? { idempotencyKey } : {}) },
    ]);
    res.status(submitted!.created ? 202 : 200).json(submitted!.job);
  });

  router.get('/jobs', requirePermission('jobs:read'), async (req, res) => {
    res.json(await jobs.list(workspaceOf(req), validateQuery(listJobsQuerySchema, req.query)));
  });

  router.get('/jobs/:id', requirePermission('jobs:read', { jobToken: true }), async (req, res) => {
    const { id } = validate(jobIdSchema, req.params);
    res.json(await jobs.get(workspaceOf(req), id));
  });

  /** A person's action on one job: `JobActions.perform` (the action, its activity entry, its audit entry). */
  for (const action of ['cancel', 'retry', 'promote'] as const satisfies readonly JobAction[]) {
    router.post(`/jobs/:id/${action}`, requirePermission('jobs:write'), async (req, res) => {
      const { id } = validate(jobIdSchema, req.params);
      res.json(await actions.perform(action, workspaceOf(req), id, auditContextOf(req)));
    });
  }

  router.get('/jobs/:id/logs', requirePermission('jobs:read', { jobToken: true }), async (req, res) => {
    const { id } = validate(jobIdSchema, req.params);
    res.json(await jobs.logs(workspaceOf(req), id, validateQuery(listJobLogsQuerySchema, req.query)));
  });

  /** A token that lets its bearer read this one job and subscribe to it, for a while. */
  router.post('/jobs/:id/token', requirePermission('jobs:share'), json, async (req, res) => {
    const { id } = validate(jobIdSchema, req.params);
    const { ttlSeconds = ACCOUNT_LIMITS.defaultJobTokenTtlSeconds } = validate(
      createJobTokenSchema,
      optionalBody(req.body),
    );
    const workspaceId = workspaceOf(req);
    await jobs.get(workspaceId, id);
    const { token, expiresAt } = await tokens.issue(workspaceId, id, ttlSeconds);
    await audit.record(workspaceId, auditContextOf(req), 'job_token.created', { type: 'job', id }, { ttlSeconds });
    res.status(201).json({ token, jobId: id, expiresAt: expiresAt.toISOString() });
  });

  return router;
}
