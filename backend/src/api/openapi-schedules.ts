import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { createScheduleSchema, scheduleListSchema, scheduleSchema, updateScheduleSchema } from '@flightdeck/contract';
import { errors, json, requiredJson } from './openapi-helpers';
import { idParams } from './openapi-params';

const scheduleIdParams = idParams('id', 'Schedule id');

/** Schedules: cron expressions that submit a job at each run. */
export function registerSchedulePaths(registry: OpenAPIRegistry, security: Record<string, string[]>[]): void {
  registry.registerPath({
    method: 'post',
    path: '/v1/schedules',
    tags: ['Schedules'],
    summary: 'Create a schedule',
    description:
      'Submits `job` each time the cron expression fires in `timezone` (default UTC). Each run is an ordinary job (id `repeat:<scheduleId>:<ms>`), listed and streamed like others. The job is validated like a submit.',
    security,
    request: { body: requiredJson(createScheduleSchema, 'The schedule') },
    responses: { 201: json(scheduleSchema, 'Created'), ...errors(400, 401, 403, 413, 415, 422, 503) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/schedules',
    tags: ['Schedules'],
    summary: "The workspace's schedules, oldest first",
    security,
    responses: { 200: json(scheduleListSchema, 'Every schedule'), ...errors(401, 403, 503) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/schedules/{id}',
    tags: ['Schedules'],
    summary: 'Get a schedule',
    security,
    request: { params: scheduleIdParams },
    responses: { 200: json(scheduleSchema, 'The schedule'), ...errors(401, 403, 404, 503) },
  });
  registry.registerPath({
    method: 'patch',
    path: '/v1/schedules/{id}',
    tags: ['Schedules'],
    summary: 'Change a schedule',
    description:
      'Changes the name, cron expression, time zone or job (replaced whole); later runs follow the change, runs already queued are not touched.',
    security,
    request: { params: scheduleIdParams, body: requiredJson(updateScheduleSchema, 'The fields to change') },
    responses: {
      200: json(scheduleSchema, 'The schedule after the change'),
      ...errors(400, 401, 403, 404, 413, 415, 422, 503),
    },
  });
  registry.registerPath({
    method: 'delete',
    path: '/v1/schedules/{id}',
    tags: ['Schedules'],
    summary: 'Delete a schedule',
    description: 'No run starts after this; a run already queued or active goes on.',
    security,
    request: { params: scheduleIdParams },
    responses: { 204: { description: 'Deleted' }, ...errors(401, 403, 404, 503) },
  });
}
