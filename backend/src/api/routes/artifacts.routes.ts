import { PassThrough, type Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import {
  artifactContentTypeSchema,
  artifactIdSchema,
  listArtifactsQuerySchema,
  uploadArtifactQuerySchema,
} from '@flightdeck/contract';
import type { ArtifactService } from '../../artifacts/artifact-service';
import type { AuditLog } from '../../audit/audit-log';
import { auditContextOf, requirePermission, workspaceOf } from '../authenticate';
import { ifNoneMatchHits, ifRangeHolds, parseByteRange, type ByteRange } from '../byte-ranges';
import { badRequest, rangeNotSatisfiable } from '../http-errors';
import { validate, validateQuery } from '../validate';
import { resourceIdSchema } from '../path-params';

const artifactIdParams = z.strictObject({ id: artifactIdSchema });
const jobIdParams = z.strictObject({ id: resourceIdSchema });

/** What a client sends without a Content-Type: bytes of no particular kind. */
const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

/**
 * The request body as chunks, without destroying the request when the reader stops early (as
 * `for await` over the request itself would): the connection stays usable for the 413 answer. A
 * body cut off by the client ends the iteration with an error.
 */
async function* requestBody(req: Readable): AsyncGenerator<Uint8Array> {
  const body = new PassThrough();
  // `pipe` does not pass a source's errors on: a cut-off request must still end the iteration. Nobody
  // reads the answer to a client that went away: a 400, so it is not logged as our failure.
  finished(req).catch(() => body.destroy(badRequest('validation_failed', 'the request body was cut off')));
  req.pipe(body);
  try {
    for await (const chunk of body) yield chunk as Buffer;
  } finally {
    req.unpipe(body);
  }
}

/**
 * Pipes a file into the response. Unlike `pipeline`, a failing source leaves the response open, so a
 * failure before the first byte can still be answered with an error; a client that goes away stops
 * the source.
 */
function sendStream(source: Readable, res: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    source.once('error', reject);
    res.once('finish', resolve);
    res.once('close', () => {
      source.destroy();
      resolve();
    });
    source.pipe(res);
  });
}

/** The declared body size, when the client sent a Content-Length. */
function contentLengthOf(req: Request): number | undefined {
  const header = req.get('content-length');
  return header !== undefined && /^\d+$/.test(header) ? Number(header) : undefined;
}

/**
 * The part of the file a download sends: a `Range` of a GET (never of a HEAD) that `If-Range`, when
 * sent, allows; else the whole file. A range that misses the file is a 416.
 */
function rangeOf(req: Request, size: number, etag: string | undefined): ByteRange | undefined {
  const header = req.get('range');
  if (req.method !== 'GET' || header === undefined || !ifRangeHolds(req.get('if-range'), etag)) return undefined;
  const range = parseByteRange(header, size);
  if (range === 'unsatisfiable') throw rangeNotSatisfiable(size);
  return range === 'whole' ? undefined : range;
}

export function artifactsRoutes(artifacts: ArtifactService, audit: AuditLog): Router {
  const router = Router();

  router.post('/artifacts', requirePermission('jobs:write'), async (req, res) => {
    try {
      const { name, jobId } = validateQuery(uploadArtifactQuerySchema, req.query);
      const contentType = validate(
        artifactContentTypeSchema,
        req.get('content-type') ?? DEFAULT_CONTENT_TYPE,
        'Content-Type',
      );
      const artifact = await artifacts.upload(
        workspaceOf(req),
        { name, contentType, ...(jobId ? { jobId } : {}) },
        requestBody(req),
        contentLengthOf(req),
      );
      res.status(201).location(`/v1/artifacts/${artifact.id}`).json(artifact);
    } finally {
      // Whatever of the body was not read (a refused or oversize upload) is read and dropped, so the
      // client gets its answer and the connection can serve the next request.
      if (!req.readableEnded) req.resume();
    }
  });

  router.get('/artifacts/:id', requirePermission('jobs:read'), async (req, res) => {
    const { id } = validate(artifactIdParams, req.params);
    const artifact = await artifacts.get(workspaceOf(req), id);
    const etag = artifact.sha256 ? `"${artifact.sha256}"` : undefined;
    if (ifNoneMatchHits(req.get('if-none-match'), etag)) {
      // The client's copy is this file: only the validator and the caching rule go back.
      res.setHeader('cache-control', 'private, no-cache');
      res.status(304).setHeader('etag', etag!).end();
      return;
    }
    const range = rangeOf(req, artifact.size, etag);
    // `attachment` sets Content-Disposition (RFC 6266 quoting, `filename*` for non-ASCII names) and
    // guesses a type from the extension: the stored type replaces it, exactly as uploaded.
    res.attachment(artifact.name);
    res.setHeader('content-type', artifact.contentType);
    res.setHeader('accept-ranges', 'bytes');
    if (range) {
      res.status(206);
      res.setHeader('content-range', `bytes ${range.start}-${range.end}/${artifact.size}`);
      res.setHeader('content-length', String(range.end - range.start + 1));
    } else {
      res.setHeader('content-length', String(artifact.size));
    }
    // Files are whatever their uploader made them: never sniffed, never run as a page of our origin.
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('content-security-policy', "default-src 'none'; sandbox");
    res.setHeader('cache-control', 'private, no-cache');
    if (etag) res.setHeader('etag', etag);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    try {
      await sendStream(artifacts.openDownload(artifact, range), res);
    } catch (error) {
      // Once bytes went out, the only honest signal left is a cut connection.
      if (res.headersSent) {
        res.destroy();
        return;
      }
      // Nothing went out yet: the error handler answers, without the file's headers.
      for (const header of ['content-type', 'content-length', 'content-disposition', 'content-range', 'etag'])
        res.removeHeader(header);
      throw error;
    }
  });

  router.delete('/artifacts/:id', requirePermission('artifacts:delete'), async (req, res) => {
    const { id } = validate(artifactIdParams, req.params);
    const artifact = await artifacts.remove(workspaceOf(req), id);
    await audit.record(
      workspaceOf(req),
      auditContextOf(req),
      'artifact.deleted',
      { type: 'artifact', id },
      { name: artifact.name, jobId: artifact.jobId, size: artifact.size },
    );
    res.status(204).end();
  });

  router.get('/jobs/:id/artifacts', requirePermission('jobs:read'), async (req, res) => {
    const { id } = validate(jobIdParams, req.params);
    const query = validateQuery(listArtifactsQuerySchema, req.query);
    res.json(await artifacts.listForJob(workspaceOf(req), id, query));
  });

  return router;
}
