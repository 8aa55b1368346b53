import type { Redis } from 'ioredis';
import type { StreamEvent } from '@flightdeck/contract';
import { decodeWorkspaceEntry, type RedisKeys } from '@flightdeck/workers';

export interface EventsSince {
  events: StreamEvent[];
  /** The workspace's seq as of this read: the last event returned, or `since` when none came. */
  seq: number;
  /** True when events after `since` are no longer retained: the client must reload from REST. */
  gap: boolean;
}

/** Reads a workspace's retained events; a stream entry's id is `0-<seq>`, so `since` is a range start. */
export class WorkspaceEventLog {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async currentSeq(workspaceId: string): Promise<number> {
    return Number((await this.redis.get(this.keys.workspaceSeq(workspaceId))) ?? 0);
  }

  async since(workspaceId: string, since: number): Promise<EventsSince> {
    // One transaction, so the seq and the entries agree.
    const answers = await this.redis
      .multi()
      .xrange(this.keys.workspaceEvents(workspaceId), `0-${since + 1}`, '+')
      .get(this.keys.workspaceSeq(workspaceId))
      .exec();
    const entries = (answers?.[0]?.[1] ?? []) as [string, string[]][];
    const current = Number(answers?.[1]?.[1] ?? 0);
    const events = entries.map(decodeWorkspaceEntry);
    const first = events[0]?.seq;
    const gap = since > current || (first === undefined ? current > since : first > since + 1);
    if (gap) return { events: [], seq: current, gap };
    return { events, seq: events.at(-1)?.seq ?? since, gap };
  }
}
