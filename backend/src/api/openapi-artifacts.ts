import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import {
  artifactIdSchema,
  artifactListSchema,
  artifactSchema,
  listArtifactsQuerySchema,
  uploadArtifactQuerySchema,
} from '@flightdeck/contract';
import { idParams, jobIdParams } from './openapi-params';
import { errors, json } from './openapi-helpers';

const artifactIdParams = idParams('id', 'Artifact id', artifactIdSchema);
const binary = z.string().meta({ format: 'binary' });

/** Artifacts: uploading, downloading (whole or a byte range), deleting and listing a job's files. */
export function registerArtifactPaths(registry: OpenAPIRegistry, security: Record<string, string[]>[]): void {
  registry.registerPath({
    method: 'post',
    path: '/v1/artifacts',
    tags: ['Artifacts'],
    summary: 'Upload a file (an input for jobs such as `image.transform`)',
    description:
      "The raw body is the file; its `Content-Type` header is stored as the file's type (`application/octet-stream` when absent). At most `ARTIFACT_MAX_BYTES` (50 MiB by default): a larger `Content-Length` is refused before the body is read, a longer body without one is cut off; both `413`. `jobId` attaches the file to a job of the workspace (`404` if there is none). Needs `jobs:write`.",
    security,
    request: {
      query: uploadArtifactQuerySchema,
      // No body (or `Content-Length: 0`) is an empty file, which is a file too.
      body: { description: 'The file (may be empty)', content: { '*/*': { schema: binary } }, required: false },
    },
    responses: {
      201: {
        ...json(artifactSchema, 'Stored'),
        headers: { Location: { description: '`/v1/artifacts/{id}`', schema: { type: 'string' } } },
      },
      ...errors(401, 403, 404, 413, 422, 503),
    },
  });
  const downloadHeaders = {
    'Content-Disposition': { description: '`attachment; filename="<name>"`', schema: { type: 'string' as const } },
    'Content-Length': { description: 'The number of bytes in this answer', schema: { type: 'integer' as const } },
    'Accept-Ranges': { description: '`bytes`', schema: { type: 'string' as const } },
    ETag: { description: 'The SHA-256 of the whole file, quoted', schema: { type: 'string' as const } },
  };
  registry.registerPath({
    method: 'get',
    path: '/v1/artifacts/{id}',
    tags: ['Artifacts'],
    summary: 'Download an artifact, or a byte range of it',
    description:
      "Streams the bytes with the stored `Content-Type`, `Content-Length`, `Content-Disposition: attachment` with the name, `X-Content-Type-Options: nosniff` and a sandboxing `Content-Security-Policy`; `ETag` is the SHA-256, and `Accept-Ranges: bytes`. A `Range` of one range — `bytes=<first>-<last>`, `bytes=<first>-` or the last n bytes `bytes=-<n>` — answers `206` with those bytes and `Content-Range: bytes <first>-<last>/<size>` (a last byte past the end means the end; a suffix longer than the file, the whole file). A range starting at or past the end, or `bytes=-0`, is `416 range_not_satisfiable` with `Content-Range: bytes */<size>`. Several ranges, another unit or a `Range` that does not parse are ignored: `200` with the whole file. `If-Range` with the `ETag` keeps the range; with anything else the whole file comes back. `If-None-Match` naming the `ETag` (or `*`) answers `304` with no body. `HEAD` answers the headers only (and ignores `Range`). Another workspace's artifact is `404`. Needs `jobs:read`.",
    security,
    request: {
      params: artifactIdParams,
      headers: z.object({
        range: z
          .string()
          .optional()
          .meta({ description: 'One byte range, e.g. `bytes=0-1023`', example: 'bytes=0-1023' }),
        'if-range': z
          .string()
          .optional()
          .meta({ description: 'The `ETag`: send the range only if the file is that one' }),
        'if-none-match': z
          .string()
          .optional()
          .meta({ description: 'ETags of copies the client has: `304` when one is the file' }),
      }),
    },
    responses: {
      // Bytes of the type the file was stored with: OpenAPI 3.1 says "any bytes" with no schema
      // (`format: binary` would make validators read them as text of that type).
      200: { description: 'The whole file', headers: downloadHeaders, content: { '*/*': {} } },
      206: {
        description: 'The bytes of the range',
        headers: {
          ...downloadHeaders,
          'Content-Range': { description: '`bytes <first>-<last>/<size>`', schema: { type: 'string' } },
        },
        content: { '*/*': {} },
      },
      304: { description: "The client's copy (`If-None-Match`) is current", headers: { ETag: downloadHeaders.ETag } },
      ...errors(401, 403, 404, 416, 503),
    },
  });
  registry.registerPath({
    method: 'delete',
    path: '/v1/artifacts/{id}',
    tags: ['Artifacts'],
    summary: 'Delete an artifact (members)',
    description:
      "Removes the file and all its bytes at once: it is no longer listed or downloadable (`404`), and a job that takes it as input fails with `input artifact … not found`. Recorded in the audit log (`artifact.deleted`). Another workspace's artifact is `404`. Needs `artifacts:delete` (members; keys with `jobs:write`).",
    security,
    request: { params: artifactIdParams },
    responses: { 204: { description: 'Deleted' }, ...errors(401, 403, 404, 503) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/jobs/{id}/artifacts',
    tags: ['Artifacts'],
    summary: "A job's artifacts, oldest first",
    description:
      'Files the job produced (`context.artifacts.put` in its handler) and files uploaded with `?jobId=` for it. Pass `nextCursor` as `cursor` for the next page. Needs `jobs:read`.',
    security,
    request: { params: jobIdParams, query: listArtifactsQuerySchema },
    responses: { 200: json(artifactListSchema, 'A page of artifacts'), ...errors(401, 403, 404, 422, 503) },
  });
}
