import { z } from 'zod';

/** Limits of the artifacts API, in one place (the size limit is the server's `ARTIFACT_MAX_BYTES`). */
export const ARTIFACT_LIMITS = {
  maxNameLength: 255,
  maxContentTypeLength: 255,
  maxIdLength: 64,
  /** A page of `GET /v1/jobs/{id}/artifacts`. */
  maxListLimit: 200,
  defaultListLimit: 100,
} as const;

/** A file name: no control characters and no path separators (it ends up in Content-Disposition). */
export const artifactNameSchema = z
  .string()
  .min(1)
  .max(ARTIFACT_LIMITS.maxNameLength)
  // eslint-disable-next-line no-control-regex -- control characters are what it refuses
  .regex(/^[^\u0000-\u001f\u007f/\\]+$/, 'a file name without control characters, "/" or "\\"')
  .meta({ example: 'photo.png' });

/** A media type as `type/subtype`, parameters allowed (`text/plain; charset=utf-8`). */
export const artifactContentTypeSchema = z
  .string()
  .max(ARTIFACT_LIMITS.maxContentTypeLength)
  .regex(
    /^[!#$%&'*+.^_`|~0-9A-Za-z-]+\/[!#$%&'*+.^_`|~0-9A-Za-z-]+(\s*;\s*[!#$%&'*+.^_`|~0-9A-Za-z-]+=("[^"\r\n]*"|[!#$%&'*+.^_`|~0-9A-Za-z-]+))*$/,
    'a media type such as image/png',
  )
  .meta({ example: 'image/png' });

export const artifactIdSchema = z.string().min(1).max(ARTIFACT_LIMITS.maxIdLength);

export const uploadArtifactQuerySchema = z.strictObject({
  name: artifactNameSchema,
  jobId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .meta({ description: 'Attach the file to this job of the workspace (listed with its artifacts).' }),
});
export type UploadArtifactQuery = z.infer<typeof uploadArtifactQuerySchema>;

export const artifactSchema = z
  .object({
    id: z.string(),
    jobId: z.string().nullable().meta({ description: 'The job that produced it or that it was attached to.' }),
    name: z.string(),
    contentType: z.string(),
    size: z.number().int().min(0).meta({ description: 'In bytes.' }),
    sha256: z.string().optional().meta({ description: 'SHA-256 of the bytes, hex.' }),
    createdAt: z.string().meta({ format: 'date-time' }),
  })
  .meta({ id: 'Artifact', description: 'A file stored in Flightdeck: produced by a job, or uploaded as an input.' });
export type Artifact = z.infer<typeof artifactSchema>;

export const artifactListSchema = z
  .object({
    items: z.array(artifactSchema),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: 'Pass it as `cursor` for the next page; null on the last page.' }),
  })
  .meta({ id: 'ArtifactList', description: "A page of a job's artifacts, oldest first." });
export type ArtifactList = z.infer<typeof artifactListSchema>;

/** Paging of a job's artifacts, as comments and the audit log page: `limit`, and the last page's `nextCursor`. */
export const listArtifactsQuerySchema = z.strictObject({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(ARTIFACT_LIMITS.maxListLimit)
    .optional()
    .meta({ description: `At most this many (default ${ARTIFACT_LIMITS.defaultListLimit}).` }),
  cursor: z.string().min(1).max(100).optional(),
});
export type ListArtifactsQuery = z.infer<typeof listArtifactsQuerySchema>;
