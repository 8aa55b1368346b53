import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { fairShareSchema, setWorkspaceLimitsSchema, workspaceLimitsAnswerSchema } from '@flightdeck/contract';
import { errors, json, requiredJson } from './openapi-helpers';
import { idParams } from './openapi-params';

const workspaceIdParams = idParams('workspaceId', 'Workspace id');

/** Fair share between workspaces: what each gets, and the limits operators set per workspace. */
export function registerFairSharePaths(registry: OpenAPIRegistry, security: Record<string, string[]>[]): void {
  registry.registerPath({
    method: 'get',
    path: '/v1/fair-share',
    tags: ['Fair share'],
    summary: "Fair share: each workspace's waiting and running jobs, limits and share of the workers",
    description:
      "Workers are shared by every workspace of the deployment and fed round-robin (weighted) across the workspaces with work waiting. For each workspace: jobs waiting and running, its limits (as set, and in force) and its share of the jobs started in the last minute. An operator (`queues:write` in the operator workspace, `default`) sees every workspace, busiest first; anyone else (`jobs:read`) sees their own workspace's line only.",
    security,
    responses: { 200: json(fairShareSchema, 'The fair share'), ...errors(401, 403, 503) },
  });
  registry.registerPath({
    method: 'put',
    path: '/v1/workspaces/{workspaceId}/limits',
    tags: ['Fair share'],
    summary: "Set a workspace's limits",
    description:
      "Replaces the workspace's limits whole: most jobs running at once (`maxRunning`), most jobs waiting (`maxPending`: a submit beyond it is `429 quota_exceeded`) and its weight (1–100). A field left out or `null` is the deployment's default. Takes effect within a second. Recorded in the audit log (`workspace.limits_changed`, with `before` and `after`) of the operator workspace and of the workspace limited. Needs `queues:write` in the operator workspace (`default`); `403` from any other; `404` for an unknown workspace.",
    security,
    request: { params: workspaceIdParams, body: requiredJson(setWorkspaceLimitsSchema, 'The limits') },
    responses: {
      200: json(workspaceLimitsAnswerSchema, 'The limits after the change'),
      ...errors(400, 401, 403, 404, 413, 415, 422, 503),
    },
  });
}
