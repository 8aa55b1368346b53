import type { Redis } from 'ioredis';
import type { Job } from '@flightdeck/contract';
import { decodeSnapshot, presentSnapshot, type RedisKeys } from '@flightdeck/workers';
import { JobRecordModel } from '../db/models';
import { presentRecord, type JobRecord } from './job-presenter';

/** Reads one job of a workspace: its Redis snapshot (freshest), completed from MongoDB when partial or gone. */
export class JobReader {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  /** The job, or null when it does not exist in this workspace (another workspace's job included). */
  async find(workspaceId: string, id: string): Promise<Job | null> {
    const snapshot = decodeSnapshot(await this.redis.hgetall(this.keys.jobSnapshot(id)));
    if (snapshot && snapshot.workspaceId !== workspaceId) return null;
    if (snapshot?.type && snapshot.createdAt) return presentSnapshot(snapshot);
    const record = await JobRecordModel.findOne({ _id: id, workspaceId }).lean<JobRecord>();
    if (!record) return null;
    return presentRecord(record, snapshot ?? undefined);
  }
}
