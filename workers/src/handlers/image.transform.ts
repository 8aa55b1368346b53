import path from 'node:path';
import { UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import { ArtifactNotFoundError, ArtifactTooLargeError } from '../artifact-store';
import { defineJobType } from '../job-type';

/** The largest width or height accepted anywhere: in a crop, a resize, and of the input itself. */
export const MAX_IMAGE_DIMENSION = 10_000;
/** The most pixels an input may have (sharp refuses larger ones before decoding them). */
export const MAX_INPUT_PIXELS = 100_000_000;

export const IMAGE_FORMATS = ['png', 'jpeg', 'webp', 'avif'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

const CONTENT_TYPES: Record<ImageFormat, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  avif: 'image/avif',
};
const EXTENSIONS: Record<ImageFormat, string> = { png: 'png', jpeg: 'jpg', webp: 'webp', avif: 'avif' };

const dimension = z.number().int().min(1).max(MAX_IMAGE_DIMENSION);
const offset = z.number().int().min(0).max(MAX_IMAGE_DIMENSION);

export const imageTransformPayloadSchema = z.strictObject({
  input: z.strictObject({
    /** An artifact of the workspace: a job's output, or a file uploaded with `POST /v1/artifacts`. */
    artifactId: z.string().min(1).max(64),
  }),
  /** Cut out this area of the input (after EXIF orientation is applied), before any resize. */
  crop: z.strictObject({ left: offset, top: offset, width: dimension, height: dimension }).optional(),
  /** Resize to this box; with only one side given, the other keeps the aspect ratio. */
  resize: z
    .strictObject({
      width: dimension.optional(),
      height: dimension.optional(),
      fit: z.enum(['cover', 'contain', 'fill', 'inside', 'outside']).default('cover'),
    })
    .refine((resize) => resize.width !== undefined || resize.height !== undefined, {
      message: 'give a width, a height or both',
    })
    .optional(),
  /** The output format; the input's when it is one of these, else png. */
  format: z.enum(IMAGE_FORMATS).optional(),
  /** Encoder quality for jpeg, webp and avif (png is lossless and ignores it). */
  quality: z.number().int().min(1).max(100).optional(),
});
export type ImageTransformPayload = z.infer<typeof imageTransformPayloadSchema>;

export const imageTransformResultSchema = z.strictObject({
  artifactId: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  format: z.enum(IMAGE_FORMATS),
  size: z.number().int(),
});
export type ImageTransformResult = z.infer<typeof imageTransformResultSchema>;

/**
 * Crops, resizes and re-encodes an image artifact with sharp, and stores the output as an artifact of
 * the job, named after the input with the output format's extension. A missing input, an input that
 * is not an image, or a crop outside it fail the job unrecoverably (running it again would not help).
 * sharp cannot be interrupted mid-operation: the signal is checked between steps, and the runtime
 * ends the attempt as soon as it fires.
 */
export default defineJobType({
  type: 'image.transform',
  queue: 'image',
  payloadSchema: imageTransformPayloadSchema,
  resultSchema: imageTransformResultSchema,
  defaults: { timeoutMs: 120_000 },
  async run(payload, { signal, progress, log, artifacts }): Promise<ImageTransformResult> {
    const { artifactId } = payload.input;
    let input;
    try {
      input = await artifacts.get(artifactId);
    } catch (error) {
      if (error instanceof ArtifactNotFoundError)
        throw new UnrecoverableError(`input artifact ${artifactId} not found in this workspace`);
      throw error;
    }
    signal.throwIfAborted();
    progress(20);

    // Loaded here, not at the top: every role imports the job types, only workers need sharp.
    const sharp = (await import('sharp')).default;
    const image = () => sharp(input.bytes, { limitInputPixels: MAX_INPUT_PIXELS, autoOrient: true });
    let metadata;
    try {
      metadata = await image().metadata();
    } catch (error) {
      throw new UnrecoverableError(`input artifact ${artifactId} is not an image sharp can read: ${messageOf(error)}`);
    }
    const inputWidth = metadata.autoOrient.width;
    const inputHeight = metadata.autoOrient.height;
    const { crop, resize, quality } = payload;
    if (crop && (crop.left + crop.width > inputWidth || crop.top + crop.height > inputHeight)) {
      throw new UnrecoverableError(
        `crop ${crop.width}x${crop.height} at (${crop.left}, ${crop.top}) lies outside the ${inputWidth}x${inputHeight} input`,
      );
    }
    const format = payload.format ?? formatOf(metadata);
    signal.throwIfAborted();
    progress(40);

    let pipeline = image();
    if (crop) pipeline = pipeline.extract(crop);
    if (resize) pipeline = pipeline.resize({ width: resize.width, height: resize.height, fit: resize.fit });
    pipeline = pipeline.toFormat(format, quality === undefined ? {} : { quality });
    let output;
    try {
      output = await pipeline.toBuffer({ resolveWithObject: true });
    } catch (error) {
      throw new UnrecoverableError(`could not transform input artifact ${artifactId}: ${messageOf(error)}`);
    }
    signal.throwIfAborted();
    progress(80);

    const name = `${path.parse(input.artifact.name).name || 'image'}.${EXTENSIONS[format]}`;
    let stored;
    try {
      stored = await artifacts.put(name, CONTENT_TYPES[format], output.data);
    } catch (error) {
      if (error instanceof ArtifactTooLargeError) throw new UnrecoverableError(`the output image: ${error.message}`);
      throw error;
    }
    progress(100);
    log(
      `${inputWidth}x${inputHeight} ${metadata.format} → ${output.info.width}x${output.info.height} ${format}, ${output.info.size} bytes (artifact ${stored.id})`,
    );
    return {
      artifactId: stored.id,
      width: output.info.width,
      height: output.info.height,
      format,
      size: output.info.size,
    };
  },
});

/** The input's format when it is one this type writes (AVIF reads as HEIF with AV1 compression), else png. */
function formatOf(metadata: { format: string; compression?: string | undefined }): ImageFormat {
  if (metadata.format === 'heif' && metadata.compression === 'av1') return 'avif';
  return (IMAGE_FORMATS as readonly string[]).includes(metadata.format) ? (metadata.format as ImageFormat) : 'png';
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
