import { Router } from 'express';
import { z } from 'zod';
import { createScheduleSchema, updateScheduleSchema } from '@flightdeck/contract';
import type { AuditLog } from '../../audit/audit-log';
import type { ScheduleService } from '../../schedules/schedule-service';
import { requirePermission, workspaceOf } from '../authenticate';
import { jsonBody, requireJsonBody } from '../json-body';
import { recordAudit } from '../request-audit';
import { validate } from '../validate';
import { resourceIdSchema } from '../path-params';

const scheduleIdSchema = z.strictObject({ id: resourceIdSchema });

export function schedulesRoutes(schedules: ScheduleService, audit: AuditLog, limits: { bodyBytes: number }): Router {
  const router = Router();
  const json = jsonBody(limits.bodyBytes);

  router.post('/schedules', requirePermission('schedules:write'), json, requireJsonBody, async (req, res) => {
    const input = validate(createScheduleSchema, req.body);
    const schedule = await schedules.create(workspaceOf(req), input);
    const details = { name: schedule.name, cron: schedule.cron };
    await recordAudit(audit, req, 'schedule.created', { type: 'schedule', id: schedule.id }, details);
    res.status(201).json(schedule);
  });

  router.get('/schedules', requirePermission('schedules:read'), async (req, res) => {
    res.json(await schedules.list(workspaceOf(req)));
  });

  router.get('/schedules/:id', requirePermission('schedules:read'), async (req, res) => {
    const { id } = validate(scheduleIdSchema, req.params);
    res.json(await schedules.get(workspaceOf(req), id));
  });

  router.patch('/schedules/:id', requirePermission('schedules:write'), json, requireJsonBody, async (req, res) => {
    const { id } = validate(scheduleIdSchema, req.params);
    const changes = validate(updateScheduleSchema, req.body);
    const schedule = await schedules.update(workspaceOf(req), id, changes);
    await recordAudit(audit, req, 'schedule.updated', { type: 'schedule', id }, { changed: Object.keys(changes) });
    res.json(schedule);
  });

  router.delete('/schedules/:id', requirePermission('schedules:write'), async (req, res) => {
    const { id } = validate(scheduleIdSchema, req.params);
    await schedules.remove(workspaceOf(req), id);
    await recordAudit(audit, req, 'schedule.deleted', { type: 'schedule', id });
    res.status(204).end();
  });

  return router;
}
