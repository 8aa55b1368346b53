import express, { Router } from 'express';
import { z } from 'zod';
import { createScheduleSchema, updateScheduleSchema } from '@flightdeck/contract';
import type { ScheduleService } from '../../schedules/schedule-service';
import { requireScope, workspaceOf } from '../authenticate';
import { requireJsonBody } from '../json-body';
import { validate } from '../validate';

const scheduleIdSchema = z.strictObject({ id: z.string().min(1).max(64) });

export function schedulesRoutes(schedules: ScheduleService, limits: { bodyBytes: number }): Router {
  const router = Router();
  const json = express.json({ limit: limits.bodyBytes, strict: false });

  router.post('/schedules', requireScope('jobs:write'), json, requireJsonBody, async (req, res) => {
    const input = validate(createScheduleSchema, req.body);
    res.status(201).json(await schedules.create(workspaceOf(req.identity), input));
  });

  router.get('/schedules', requireScope('jobs:read'), async (req, res) => {
    res.json(await schedules.list(workspaceOf(req.identity)));
  });

  router.get('/schedules/:id', requireScope('jobs:read'), async (req, res) => {
    const { id } = validate(scheduleIdSchema, req.params);
    res.json(await schedules.get(workspaceOf(req.identity), id));
  });

  router.patch('/schedules/:id', requireScope('jobs:write'), json, requireJsonBody, async (req, res) => {
    const { id } = validate(scheduleIdSchema, req.params);
    const changes = validate(updateScheduleSchema, req.body);
    res.json(await schedules.update(workspaceOf(req.identity), id, changes));
  });

  router.delete('/schedules/:id', requireScope('jobs:write'), async (req, res) => {
    const { id } = validate(scheduleIdSchema, req.params);
    await schedules.remove(workspaceOf(req.identity), id);
    res.status(204).end();
  });

  return router;
}
