import type { Job, JobLogLine, ListJobLogsQuery, ListJobsQuery } from '@flightdeck/contract';
import { JobLogModel, JobRecordModel } from '../db/models';
import { decodeCursor, encodeCursor, keysetPage, pastKey, type Page } from '../db/keyset-pages';
import { presentRecord, type JobRecord } from './job-presenter';

/**
 * Reading pages of jobs and of a job's log lines from MongoDB history. The callers wait for history
 * to be current first (`JobService`).
 */

/** A page of the workspace's jobs, newest first, filtered as the query says. */
export async function listJobs(workspaceId: string, query: ListJobsQuery): Promise<Page<Job>> {
  // By creation time, then id: API jobs' ULIDs follow their createdAt, and schedule runs (BullMQ's
  // `repeat:…` ids) are ordered by when they fired.
  const records = await JobRecordModel.find(listFilter(workspaceId, query))
    .sort({ createdAt: -1, _id: -1 })
    .limit(query.limit + 1)
    .lean<JobRecord[]>();
  return keysetPage(
    records,
    query.limit,
    (record) => presentRecord(record),
    (last) => encodeCursor(last.createdAt.getTime(), last._id),
  );
}

/** A page of a job's log lines, oldest first. */
export async function listJobLogs(workspaceId: string, id: string, query: ListJobLogsQuery): Promise<Page<JobLogLine>> {
  const filter: Record<string, unknown> = { workspaceId, jobId: id };
  if (query.cursor) {
    const [seq, index] = decodeCursor(query.cursor, /^(\d{1,15}):(\d{1,6})$/);
    Object.assign(filter, pastKey(['seq', 'index'], [Number(seq), Number(index)], 1));
  }
  const records = await JobLogModel.find(filter)
    .sort({ seq: 1, index: 1 })
    .limit(query.limit + 1)
    .lean<{ seq: number; index: number; line: string; at: Date }[]>();
  return keysetPage(
    records,
    query.limit,
    (record) => ({ seq: record.seq, line: record.line, at: record.at.toISOString() }),
    (last) => encodeCursor(last.seq, last.index),
  );
}

/** The relative ranges of the jobs list (`range`), counted back from the request. */
const RANGE_MS = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 } as const;

/** The MongoDB filter of a jobs list: always the workspace, then every filter the query names. */
function listFilter(workspaceId: string, query: ListJobsQuery): Record<string, unknown> {
  const filter: Record<string, unknown> = { workspaceId };
  const all: Record<string, unknown>[] = [];
  if (query.status) filter.status = query.status;
  if (query.type) filter.type = query.type;
  if (query.queue) filter.queue = query.queue;
  if (query.claimedBy) filter['claimedBy.id'] = query.claimedBy === 'nobody' ? null : query.claimedBy;
  const from = query.range ? new Date(Date.now() - RANGE_MS[query.range]) : query.from && new Date(query.from);
  if (from || query.to) {
    filter.createdAt = {
      ...(from ? { $gte: from } : {}),
      ...(query.to ? { $lt: new Date(query.to) } : {}),
    };
  }
  if (query.q) {
    const text = { $regex: query.q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), $options: 'i' };
    all.push({ $or: [{ _id: query.q }, { type: text }, { 'error.message': text }] });
  }
  if (query.cursor) {
    // A jobs page's cursor: `<createdAt ms>:<id>` of the last job on the page.
    const [createdAt, id] = decodeCursor(query.cursor, /^(\d{1,15}):([\x21-\x7e]{1,64})$/);
    all.push(pastKey(['createdAt', '_id'], [new Date(Number(createdAt)), id], -1));
  }
  if (all.length > 0) filter.$and = all;
  return filter;
}
