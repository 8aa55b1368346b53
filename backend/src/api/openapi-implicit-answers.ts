import { errorDescription } from './openapi-helpers';

interface ParameterLike {
  in?: string;
  required?: boolean;
  allowEmptyValue?: boolean;
}

interface OperationLike {
  parameters?: ParameterLike[];
  responses?: Record<string, unknown>;
}

type DocumentLike = { paths?: Record<string, object> };

/** `/v1` operations that do not act in a workspace (they run before `inWorkspace` in api-app.ts). */
const OUTSIDE_A_WORKSPACE = new Set([
  '/v1/auth/signup',
  '/v1/auth/login',
  '/v1/auth/logout',
  '/v1/me',
  '/v1/workspaces',
]);

const errorAnswer = (status: number) => ({
  description: errorDescription(status),
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

function addAnswers(operation: OperationLike, statuses: number[]): void {
  for (const status of statuses) operation.responses![String(status)] ??= errorAnswer(status);
}

/**
 * Completes the generated document with what the middleware in front of the routes answers, so that
 * each registration need not repeat it:
 * - every optional query parameter may be sent empty: `validateQuery` reads `?status=` as not given
 *   (forms and URL templates send the fields left blank), whatever the value's schema;
 * - a path parameter outside its schema (`path-params.ts`) is `422`;
 * - every `/v1` operation may be rate limited (`429`, per caller and per address);
 * - every operation that acts in a workspace answers a session `400 workspace_required` when it
 *   names none, and `404` when it names one the person is not a member of.
 */
export function withImplicitAnswers<Document extends DocumentLike>(document: Document): Document {
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const operation of Object.values(item) as OperationLike[]) {
      if (!operation?.responses) continue;
      const parameters = operation.parameters ?? [];
      for (const parameter of parameters) {
        if (parameter.in === 'query' && !parameter.required) parameter.allowEmptyValue = true;
      }
      if (parameters.some((parameter) => parameter.in === 'path')) addAnswers(operation, [422]);
      if (path.startsWith('/v1/')) {
        addAnswers(operation, [429]);
        if (!OUTSIDE_A_WORKSPACE.has(path)) addAnswers(operation, [400, 404]);
      }
    }
  }
  return document;
}
