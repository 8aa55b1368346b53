import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import mongoose, { Schema, model, type Connection } from 'mongoose';
import { ulid } from 'ulid';
import type { Artifact, ArtifactList } from '@flightdeck/contract';
import { ArtifactTooLargeError, type ArtifactInput, type ArtifactStore } from '@flightdeck/workers';
import { pageById } from '../db/keyset-pages';

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

/** Bytes `start` to `end` of an artifact, both included. */
export interface ArtifactByteRange {
  start: number;
  end: number;
}

/** What one sweep of orphaned chunks found and removed. */
export interface OrphanSweep {
  /** Artifact ids whose chunks were removed: no files document, and no chunk newer than the cut-off. */
  files: number;
  chunks: number;
}

/** Chunk index entries one sweep step reads (ids only: a covered read of the `files_id` index on MongoDB). */
const SWEEP_BATCH = 1000;

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
  /** The chunks collection, for what GridFSBucket does not offer: workspace-checked deletes, the orphan sweep. */
  private readonly chunks: mongoose.mongo.Collection<{ _id: mongoose.mongo.ObjectId; files_id: string; n: number }>;

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
    this.chunks = connection.db.collection(`${BUCKET}.chunks`);
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
   * The bytes of an artifact found with `find` (which checked its workspace), all of them or those of
   * `range`, streamed from GridFS chunk by chunk (a range reads only the chunks it covers). The
   * stream fails unless it delivers exactly the bytes promised: GridFS ends quietly when trailing
   * chunks are missing.
   */
  openDownload(artifact: Pick<Artifact, 'id' | 'size'>, range?: ArtifactByteRange): Readable {
    const expected = range ? range.end - range.start + 1 : artifact.size;
    let delivered = 0;
    const checked = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        delivered += chunk.byteLength;
        callback(null, chunk);
      },
      flush(callback) {
        callback(
          delivered === expected
            ? null
            : new Error(`artifact ${artifact.id} is damaged: ${delivered} of ${expected} bytes asked for are stored`),
        );
      },
    });
    // The driver's `end` is exclusive.
    const source = this.bucket.openDownloadStream(
      gridFsId(artifact.id),
      range ? { start: range.start, end: range.end + 1 } : {},
    );
    source.on('error', (error) => checked.destroy(error));
    return source.pipe(checked);
  }

  /** A page of a job's artifacts, oldest first; the cursor is the last id of the previous page. */
  listForJob(
    workspaceId: string,
    jobId: string,
    page: { limit: number; cursor: string | undefined },
  ): Promise<ArtifactList> {
    return pageById(
      ArtifactFileModel as never,
      { 'metadata.workspaceId': workspaceId, 'metadata.jobId': jobId },
      { order: 'oldest', ...page },
      presentArtifact,
    );
  }

  /**
   * Deletes an artifact of the workspace: its files document first (from then on nothing lists or
   * serves it), then its chunks. False when the workspace has no such artifact (any more). A crash
   * between the two leaves chunks without a files document, which `removeOrphanChunks` collects.
   */
  async remove(workspaceId: string, id: string): Promise<boolean> {
    const { deletedCount } = await ArtifactFileModel.deleteOne({ _id: id, 'metadata.workspaceId': workspaceId });
    if (deletedCount === 0) return false;
    await this.chunks.deleteMany({ files_id: id });
    return true;
  }

  /**
   * Removes chunks that belong to no artifact: an upload cut short by a crash (GridFS writes the
   * files document after the last chunk) or a delete interrupted between its two steps. An artifact
   * id counts as orphaned when it has no files document and none of its chunks was written after
   * `writtenBefore` (chunk ids are ObjectIds, which carry their creation second), so an upload still
   * in progress — its latest chunk is recent — is left alone. Walks the chunks by `files_id` in
   * bounded batches and uses only finds with `$in` and deletes (FerretDB v1 has no `$lookup`);
   * `signal` stops it between two batches.
   */
  async removeOrphanChunks(writtenBefore: Date, signal?: AbortSignal, batchSize = SWEEP_BATCH): Promise<OrphanSweep> {
    const cutoff = mongoose.mongo.ObjectId.createFromTime(Math.floor(writtenBefore.getTime() / 1000));
    const swept: OrphanSweep = { files: 0, chunks: 0 };
    let after: string | undefined;
    while (!signal?.aborted) {
      const batch = await this.chunks
        .find(after === undefined ? {} : { files_id: { $gt: after } }, { projection: { _id: 0, files_id: 1 } })
        .sort({ files_id: 1 })
        .limit(batchSize)
        .toArray();
      if (batch.length === 0) return swept;
      const ids = [...new Set(batch.map((chunk) => chunk.files_id))];
      after = ids[ids.length - 1];
      const listed = await ArtifactFileModel.find({ _id: { $in: ids } }, { _id: 1 }).lean<{ _id: string }[]>();
      const known = new Set(listed.map((file) => file._id));
      const missing = ids.filter((id) => !known.has(id));
      if (missing.length > 0) {
        const recent = await this.chunks
          .find({ files_id: { $in: missing }, _id: { $gte: cutoff } }, { projection: { _id: 0, files_id: 1 } })
          .toArray();
        const active = new Set(recent.map((chunk) => chunk.files_id));
        const orphans = missing.filter((id) => !active.has(id));
        if (orphans.length > 0) {
          const { deletedCount } = await this.chunks.deleteMany({ files_id: { $in: orphans } });
          swept.files += orphans.length;
          swept.chunks += deletedCount;
        }
      }
      if (batch.length < batchSize) return swept;
    }
    return swept;
  }

  /**
   * Deletes every artifact of a workspace (it is being deleted). One deleted meanwhile by someone else
   * is skipped (`remove`, unlike GridFSBucket's `delete`, does not throw for a missing file).
   */
  async removeWorkspaceArtifacts(workspaceId: string): Promise<void> {
    const files = await ArtifactFileModel.find({ 'metadata.workspaceId': workspaceId }, { _id: 1 }).lean<
      { _id: string }[]
    >();
    for (const { _id } of files) await this.remove(workspaceId, _id);
  }

  async removeJobArtifactsNamed(workspaceId: string, jobId: string, name: string, keepId: string): Promise<void> {
    const earlier = await ArtifactFileModel.find(
      { 'metadata.workspaceId': workspaceId, 'metadata.jobId': jobId, filename: name, _id: { $ne: keepId } },
      { _id: 1 },
    ).lean<{ _id: string }[]>();
    for (const { _id } of earlier) await this.remove(workspaceId, _id);
  }
}
