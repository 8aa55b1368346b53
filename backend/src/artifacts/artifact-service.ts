import type { Readable } from 'node:stream';
import { ARTIFACT_LIMITS, type Artifact, type ArtifactList, type ListArtifactsQuery } from '@flightdeck/contract';
import { ArtifactTooLargeError } from '@flightdeck/workers';
import { NotFoundError, TooLargeError } from '../domain-errors';
import type { JobReader } from '../jobs/job-reader';
import type { ArtifactByteRange, GridFsArtifactStore } from './artifact-store';

export interface ArtifactUpload {
  name: string;
  contentType: string;
  jobId?: string;
}

/** Uploading, listing, reading and deleting a workspace's artifacts: the rules, without HTTP. */
export class ArtifactService {
  constructor(
    private readonly store: GridFsArtifactStore,
    private readonly reader: JobReader,
  ) {}

  get maxBytes(): number {
    return this.store.maxBytes;
  }

  /**
   * Stores an uploaded file, optionally attached to a job of the workspace. `declaredBytes` (the
   * request's Content-Length) lets an oversize upload fail before any byte is read; an upload
   * without it is cut off at the limit. Both are `413 payload_too_large`.
   */
  async upload(
    workspaceId: string,
    upload: ArtifactUpload,
    body: AsyncIterable<Uint8Array>,
    declaredBytes?: number,
  ): Promise<Artifact> {
    if (declaredBytes !== undefined && declaredBytes > this.store.maxBytes)
      throw new TooLargeError(new ArtifactTooLargeError(this.store.maxBytes).message);
    if (upload.jobId !== undefined) await this.requireJob(workspaceId, upload.jobId);
    try {
      return await this.store.write({ workspaceId, ...upload }, body);
    } catch (error) {
      if (error instanceof ArtifactTooLargeError) throw new TooLargeError(error.message);
      throw error;
    }
  }

  /** An artifact of the workspace; 404 for another workspace's. */
  async get(workspaceId: string, id: string): Promise<Artifact> {
    const artifact = await this.store.find(workspaceId, id);
    if (!artifact) throw new NotFoundError(`artifact ${id} not found`);
    return artifact;
  }

  /** The bytes of an artifact that `get` returned: all of them, or those of `range`. */
  openDownload(artifact: Artifact, range?: ArtifactByteRange): Readable {
    return this.store.openDownload(artifact, range);
  }

  /**
   * Deletes an artifact of the workspace, its bytes included, and returns what it was; 404 for
   * another workspace's or one already deleted (two deletes at once: one 204, one 404). A job that
   * takes it as input fails from then on with "input artifact … not found".
   */
  async remove(workspaceId: string, id: string): Promise<Artifact> {
    const artifact = await this.get(workspaceId, id);
    if (!(await this.store.remove(workspaceId, id))) throw new NotFoundError(`artifact ${id} not found`);
    return artifact;
  }

  /** Deletes every artifact of a workspace (it is being deleted). */
  removeWorkspace(workspaceId: string): Promise<void> {
    return this.store.removeWorkspaceArtifacts(workspaceId);
  }

  /** A page of a job's artifacts, oldest first; 404 when the workspace has no such job. */
  async listForJob(workspaceId: string, jobId: string, query: ListArtifactsQuery = {}): Promise<ArtifactList> {
    await this.requireJob(workspaceId, jobId);
    return this.store.listForJob(workspaceId, jobId, {
      limit: query.limit ?? ARTIFACT_LIMITS.defaultListLimit,
      cursor: query.cursor,
    });
  }

  private async requireJob(workspaceId: string, jobId: string): Promise<void> {
    if (!(await this.reader.find(workspaceId, jobId))) throw new NotFoundError(`job ${jobId} not found`);
  }
}
