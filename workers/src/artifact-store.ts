import type { Artifact } from '@flightdeck/contract';

/**
 * Where artifacts (files jobs produce or read) are kept. The workers package only names the
 * interface; the backend, which owns the MongoDB connection, implements it (GridFS) and hands it to
 * `startWorkers`. Every call is scoped to one workspace.
 */
export interface ArtifactStore {
  /** Stores `bytes` as a new artifact; `ArtifactTooLargeError` beyond the store's size limit. */
  put(input: ArtifactInput & { bytes: Uint8Array }): Promise<Artifact>;
  /** An artifact of the workspace with its bytes, or undefined (another workspace's artifact included). */
  read(workspaceId: string, id: string): Promise<{ artifact: Artifact; bytes: Buffer } | undefined>;
  /** Deletes the job's artifacts named `name` except `keepId`: a re-run's output replaces the earlier one. */
  removeJobArtifactsNamed(workspaceId: string, jobId: string, name: string, keepId: string): Promise<void>;
}

export interface ArtifactInput {
  workspaceId: string;
  /** The job it belongs to; absent for uploads not tied to a job. */
  jobId?: string;
  name: string;
  contentType: string;
}

/** The artifacts a running job may touch: its own workspace's, and what it puts belongs to the job. */
export interface JobArtifacts {
  /**
   * Stores a file as an artifact of this job. Putting a name again (a retry, a second run after a
   * crash) replaces the job's earlier artifact of that name, so handlers stay safe to run twice.
   */
  put(name: string, contentType: string, bytes: Uint8Array): Promise<Artifact>;
  /** An artifact of the job's workspace with its bytes; `ArtifactNotFoundError` when there is none. */
  get(id: string): Promise<{ artifact: Artifact; bytes: Buffer }>;
}

export class ArtifactTooLargeError extends Error {
  override name = 'ArtifactTooLargeError';
  constructor(readonly limitBytes: number) {
    super(`the artifact is larger than the limit of ${limitBytes} bytes`);
  }
}

export class ArtifactNotFoundError extends Error {
  override name = 'ArtifactNotFoundError';
  constructor(readonly artifactId: string) {
    super(`artifact ${artifactId} not found`);
  }
}

export class ArtifactsUnavailableError extends Error {
  override name = 'ArtifactsUnavailableError';
  constructor() {
    super('artifacts are not available: this worker was started without an artifact store');
  }
}

/** The job-scoped view of a store that `startWorkers` puts in each job's context. */
export function jobArtifacts(store: ArtifactStore | undefined, workspaceId: string, jobId: string): JobArtifacts {
  return {
    async put(name, contentType, bytes) {
      if (!store) throw new ArtifactsUnavailableError();
      const artifact = await store.put({ workspaceId, jobId, name, contentType, bytes });
      await store.removeJobArtifactsNamed(workspaceId, jobId, name, artifact.id);
      return artifact;
    },
    async get(id) {
      if (!store) throw new ArtifactsUnavailableError();
      const found = await store.read(workspaceId, id);
      if (!found) throw new ArtifactNotFoundError(id);
      return found;
    },
  };
}
