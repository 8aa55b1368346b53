import type { Redis } from 'ioredis';
import type { Job, JobEventType, StreamEvent } from '@flightdeck/contract';
import type { RedisKeys } from './redis-keys';
import { encodeSnapshotFields } from './job-snapshot';

/** An event before the stream gives it its `seq`. */
export interface EventDraft {
  type: JobEventType;
  jobId: string;
  /** The job's changed attributes; merged into its snapshot and carried in the event. */
  job: Partial<Job> & Pick<Job, 'id' | 'status'>;
  lines?: string[];
  /** Attributes stored in the snapshot but not carried in the event (e.g. the owning workspace). */
  snapshotOnly?: { workspaceId?: string };
}

// One atomic step per event: take the workspace's next seq, append to its stream (trimmed), append
// to the history stream the MongoDB projector reads, and merge the job's snapshot.
const APPEND_EVENTS = `
local workspaceId, maxLen, ttl, count = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local arg = 5
local seqs = {}
for i = 1, count do
  local event, fieldCount = ARGV[arg], tonumber(ARGV[arg + 1])
  arg = arg + 2
  local seq = redis.call('INCR', KEYS[1])
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', maxLen, '0-' .. seq, 'e', event)
  redis.call('XADD', KEYS[3], '*', 'w', workspaceId, 's', seq, 'e', event)
  local fields = { 'seq', tostring(seq) }
  for j = 0, fieldCount * 2 - 1 do fields[#fields + 1] = ARGV[arg + j] end
  arg = arg + fieldCount * 2
  redis.call('HSET', KEYS[3 + i], unpack(fields))
  redis.call('EXPIRE', KEYS[3 + i], ttl)
  seqs[i] = seq
end
return seqs
`;

export interface EventStreamOptions {
  /** Approximate number of events each workspace stream retains for resuming clients. */
  retainedEvents: number;
  /** How long a job's snapshot stays in Redis after its last change. */
  snapshotTtlSeconds: number;
}

/** Appends job events to the workspace's ordered stream. Used by the API and by workers. */
export class JobEventStream {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly options: EventStreamOptions,
  ) {
    // defineCommand sends the script once and then calls it by its SHA.
    if (!('flightdeckAppendEvents' in redis)) redis.defineCommand('flightdeckAppendEvents', { lua: APPEND_EVENTS });
  }

  /** Appends events of one workspace in order; returns their seqs. */
  async append(workspaceId: string, drafts: EventDraft[]): Promise<number[]> {
    if (drafts.length === 0) return [];
    const at = new Date().toISOString();
    const keys = [
      this.keys.workspaceSeq(workspaceId),
      this.keys.workspaceEvents(workspaceId),
      this.keys.history,
      ...drafts.map((draft) => this.keys.jobSnapshot(draft.jobId)),
    ];
    const args: (string | number)[] = [
      workspaceId,
      this.options.retainedEvents,
      this.options.snapshotTtlSeconds,
      drafts.length,
    ];
    for (const draft of drafts) {
      const event: Omit<StreamEvent, 'seq'> = { type: draft.type, jobId: draft.jobId, job: draft.job, at };
      if (draft.lines) event.lines = draft.lines;
      const fields = encodeSnapshotFields({ ...draft.job, ...draft.snapshotOnly });
      args.push(JSON.stringify(event), fields.length / 2, ...fields);
    }
    const redis = this.redis as Redis & { flightdeckAppendEvents(...args: (string | number)[]): Promise<number[]> };
    return redis.flightdeckAppendEvents(keys.length, ...keys, ...args);
  }
}
