import type { StreamEvent } from '@flightdeck/contract';

/** True when an event is past the last one applied; seqs grow strictly within a workspace, so anything else is a duplicate. */
export function isNewEvent(lastSeq: number, event: Pick<StreamEvent, 'seq'>): boolean {
  return Number.isInteger(event.seq) && event.seq > lastSeq;
}

/**
 * The events to apply after a snapshot taken at `seq`: those past it, in seq order, each once
 * (a reconnect's replay can deliver an event that was already buffered).
 */
export function eventsAfter<E extends Pick<StreamEvent, 'seq'>>(events: readonly E[], seq: number): E[] {
  const bySeq = new Map<number, E>();
  for (const event of events) if (isNewEvent(seq, event) && !bySeq.has(event.seq)) bySeq.set(event.seq, event);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}
