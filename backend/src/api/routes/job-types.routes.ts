import { Router } from 'express';
import { z } from 'zod';
import { jobTypeNameSchema, registerJobTypeSchema } from '@flightdeck/contract';
import type { AuditLog } from '../../audit/audit-log';
import type { JobTypeCatalog } from '../../job-types/job-type-catalog';
import { JobTypeLimitError, JobTypeNameTakenError, type JobTypeRegistry } from '../../job-types/job-type-registry';
import { InvalidJsonSchemaError } from '../../job-types/json-schema-checker';
import { auditContextOf, requirePermission, workspaceOf } from '../authenticate';
import { conflict, notFound, unprocessable } from '../http-errors';
import { jsonBody, requireJsonBody } from '../json-body';
import { validate } from '../validate';

const jobTypeParamsSchema = z.strictObject({ name: jobTypeNameSchema });

export interface JobTypesRouteDeps {
  registry: JobTypeRegistry;
  catalog: JobTypeCatalog;
  audit: AuditLog;
  /** Schemas are larger than most bodies: up to `JOB_TYPE_LIMITS.maxSchemaBytes` each. */
  bodyBytes: number;
}

/** The job types a workspace can submit, and the registration of its own (by its workers). */
export function jobTypesRoutes({ registry, catalog, audit, bodyBytes }: JobTypesRouteDeps): Router {
  const router = Router();

  router.get('/job-types', requirePermission('job-types:read'), async (req, res) => {
    res.json({ types: await catalog.list(workspaceOf(req)) });
  });

  router.get('/job-types/:name', requirePermission('job-types:read'), async (req, res) => {
    const { name } = validate(jobTypeParamsSchema, req.params);
    const type = await catalog.get(workspaceOf(req), name);
    if (!type) throw notFound(`no job type "${name}" in this workspace`);
    res.json(type);
  });

  /** 201 when the definition is new (a first version, or a changed one), 200 when it is the latest already. */
  router.put(
    '/job-types/:name',
    requirePermission('job-types:write'),
    jsonBody(bodyBytes),
    requireJsonBody,
    async (req, res) => {
      const { name } = validate(jobTypeParamsSchema, req.params);
      const input = validate(registerJobTypeSchema, req.body);
      const workspaceId = workspaceOf(req);
      const { type, created } = await registry.register(workspaceId, name, input).catch(registrationRefused);
      if (created) {
        await audit.record(
          workspaceId,
          auditContextOf(req),
          'job_type.registered',
          { type: 'job_type', id: name },
          { version: type.version, queue: type.queue },
        );
      }
      res.status(created ? 201 : 200).json(await catalog.present(type));
    },
  );

  return router;
}

/** The registry's refusals as HTTP answers. */
function registrationRefused(error: unknown): never {
  if (error instanceof InvalidJsonSchemaError) {
    const path = error.field ?? 'payloadSchema';
    throw unprocessable('validation_failed', `invalid ${path}: ${error.message}`, [{ path, message: error.message }]);
  }
  if (error instanceof JobTypeNameTakenError) throw conflict('job_type_reserved', error.message);
  if (error instanceof JobTypeLimitError) throw conflict('limit_reached', error.message);
  throw error;
}
