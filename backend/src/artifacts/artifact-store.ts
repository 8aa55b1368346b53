import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import mongoose, { Schema, model, type Connection } from 'mongoose';
import { ulid } from 'ulid';
import type { Artifact } from '@flightdeck/contract';
import { ArtifactTooLargeError, type ArtifactInput, type ArtifactStore } from '@flightdeck/workers';

/** GridFS bucket name: collections `artifacts.files` (one document per artifact) and `artifacts.chunks`. */
const BUCKET = 'artifacts';
/** GridFS's default chunk size: each chunk is one document, far below the 16 MiB document limit. */
export const ARTIFACT_CHUNK_BYTES = 255 * 1024;

/**
 * The files documents GridFS writes, read through mongoose. GridFS writes a file's document only
 * after its last chunk, so a listed artifact is always complete. `_id` is a ULID (creation order).
 */
const artifactFileSchema = new Schema(
  {
    _id: { type: String, required: true },
    length: { type: Number, required: true },
    chunkSize: { type: Number, required: true },
    uploadDate: { type: Date, required: true },
    filename: { type: String, required: true },
    metadata: {
      workspaceId: { type: String, required: true },
      jobId: { type: String, default: null },
      contentType: { type: String, required: true },
      /** Added right after the upload, once the bytes are all seen. */
      sha256: { type: String },
    },
  },
  { versionKey: false },
);
artifactFileSchema.index({ 'metadata.workspaceId': 1, 'metadata.jobId': 1, _id: 1 });
export const ArtifactFileModel = model('ArtifactFile', artifactFileSchema, `${BUCKET}.files`);

interface ArtifactFile {
  _id: string;
  length: number;
  uploadDate: Date;
  filename: string;
  metadata: { workspaceId: string; jobId?: string | null; contentType: string; sha256?: string };
}

function presentArtifact(file: ArtifactFile): Artifact {
  return {
    id: file._id,
    jobId: file.metadata.jobId ?? null,
    name: file.filename,
    contentType: file.metadata.contentType,
    size: file.length,
    ...(file.metadata.sha256 ? { sha256: file.metadata.sha256 } : {}),
    createdAt: file.uploadDate.toISOString(),
  };
}

/** GridFS takes any `_id`; the driver's types say ObjectId. Ours are ULID strings. */
const gridFsId = (id: string) => id as unknown as mongoose.mongo.ObjectId;

/** Yields a buffer in chunk-sized slices, so a large `put` writes one chunk at a time. */
function* slices(bytes: Uint8Array): Generator<Uint8Array> {
  for (let start = 0; start < bytes.byteLength; start += ARTIFACT_CHUNK_BYTES)
    yield bytes.subarray(start, start + ARTIFACT_CHUNK_BYTES);
}

/**
 * Artifacts in MongoDB GridFS (works on FerretDB v1 too: plain inserts, finds and deletes). Every
 * lookup filters by workspace; another workspace's artifact reads as missing. No transactions: a
 * process that dies mid-upload leaves chunks without a files document, which nothing lists.
 */
export class GridFsArtifactStore implements ArtifactStore {
  private readonly bucket: InstanceType<typeof mongoose.mongo.GridFSBucket>;

  private constructor(
    connection: Connection,
    /** `ARTIFACT_MAX_BYTES`: larger artifacts are refused while they are written. */
    readonly maxBytes: number,
  ) {
    if (!connection.db) throw new Error('the artifact store needs a connected mongoose connection');
    this.bucket = new mongoose.mongo.GridFSBucket(connection.db, {
      bucketName: BUCKET,
      chunkSizeBytes: ARTIFACT_CHUNK_BYTES,
    });
  }

  /** The store on a connected mongoose connection, with its index in place (GridFS adds its own). */
  static async open(connection: Connection, maxBytes: number): Promise<GridFsArtifactStore> {
    const store = new GridFsArtifactStore(connection, maxBytes);
    await ArtifactFileModel.createIndexes();
    return store;
  }

  put(input: ArtifactInput & { bytes: Uint8Array }): Promise<Artifact> {
    if (input.bytes.byteLength > this.maxBytes) return Promise.reject(new ArtifactTooLargeError(this.maxBytes));
    return this.write(input, slices(input.bytes));
  }

  /**
   * Streams bytes into a new artifact, counting and hashing them. Beyond `maxBytes` it stops reading,
   * deletes what it wrote and throws `ArtifactTooLargeError`. Each chunk is written before the next is
   * read, so when it gives up nothing is still being inserted.
   */
  async write(input: ArtifactInput, chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<Artifact> {
    const id = ulid();
    const upload = this.bucket.openUploadStreamWithId(gridFsId(id), input.name, {
      metadata: { workspaceId: input.workspaceId, jobId: input.jobId ?? null, contentType: input.contentType },
    });
    // Failures reach us through the write callbacks and `finished`; without a listener they would crash.
    upload.on('error', () => undefined);
    const hash = createHash('sha256');
    let size = 0;
    try {
      for await (const chunk of chunks) {
        size += chunk.byteLength;
        if (size > this.maxBytes) throw new ArtifactTooLargeError(this.maxBytes);
        hash.update(chunk);
        await new Promise<void>((resolve, reject) =>
          upload.write(chunk, (error) => (error ? reject(error) : resolve())),
        );
      }
      upload.end();
      await finished(upload);
    } catch (error) {
      await upload.abort().catch(() => undefined);
      upload.destroy();
      throw error;
    }
    const sha256 = hash.digest('hex');
    await ArtifactFileModel.updateOne({ _id: id }, { $set: { 'metadata.sha256': sha256 } });
    const stored = await this.find(input.workspaceId, id);
    if (!stored) throw new Error(`artifact ${id} vanished right after its upload`);
    return stored;
  }

  /** An artifact's record, or undefined when the workspace has none with this id. */
  async find(workspaceId: string, id: string): Promise<Artifact | undefined> {
    const file = await ArtifactFileModel.findOne({ _id: id, 'metadata.workspaceId': workspaceId }).lean<ArtifactFile>();
    return file ? presentArtifact(file) : undefined;
  }

  async read(workspaceId: string, id: string): Promise<{ artifact: Artifact; bytes: Buffer } | undefined> {
    const artifact = await this.find(workspaceId, id);
    if (!artifact) return undefined;
    const parts: Buffer[] = [];
    for await (const part of this.openDownload(artifact)) parts.push(part as Buffer);
    return { artifact, bytes: Buffer.concat(parts) };
  }

  /**
   * The bytes of an artifact found with `find` (which checked its workspace). The stream fails unless
   * it delivers exactly `size` bytes: GridFS ends quietly when trailing chunks are missing.
   */
  openDownload(artifact: Pick<Artifact, 'id' | 'size'>): Readable {
    let delivered = 0;
    const checked = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        delivered += chunk.byteLength;
        callback(null, chunk);
      },
      flush(callback) {
        callback(
          delivered === artifact.size
            ? null
            : new Error(`artifact ${artifact.id} is damaged: ${delivered} of its ${artifact.size} bytes are stored`),
        );
      },
    });
    const source = this.bucket.openDownloadStream(gridFsId(artifact.id));
    source.on('error', (error) => checked.destroy(error));
    return source.pipe(checked);
  }

  /** Every artifact of a job, oldest first. */
  async listForJob(workspaceId: string, jobId: string): Promise<Artifact[]> {
    const files = await ArtifactFileModel.find({ 'metadata.workspaceId': workspaceId, 'metadata.jobId': jobId })
      .sort({ _id: 1 })
      .lean<ArtifactFile[]>();
    return files.map(presentArtifact);
  }

  /** Deletes every artifact of a workspace (it is being deleted). */
  async removeWorkspaceArtifacts(workspaceId: string): Promise<void> {
    const files = await ArtifactFileModel.find({ 'metadata.workspaceId': workspaceId }, { _id: 1 }).lean<
      { _id: string }[]
    >();
    for (const { _id } of files) await this.bucket.delete(gridFsId(_id));
  }

  async removeJobArtifactsNamed(workspaceId: string, jobId: string, name: string, keepId: string): Promise<void> {
    const earlier = await ArtifactFileModel.find(
      { 'metadata.workspaceId': workspaceId, 'metadata.jobId': jobId, filename: name, _id: { $ne: keepId } },
      { _id: 1 },
    ).lean<{ _id: string }[]>();
    // Deletes the files document first, then the chunks.
    for (const { _id } of earlier) await this.bucket.delete(gridFsId(_id));
  }
}
