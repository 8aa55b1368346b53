import type { StreamEvent } from '@flightdeck/contract';
import type { LiveStream } from '../../src/feeds/live-paged-feed';
import type { ConnectionState, StreamListener } from '../../src/realtime/realtime-client';

/** A stand-in for the realtime client a live feed follows, with the methods the test plays it by. */
export interface FakeStream<Snapshot extends { connection: ConnectionState }> extends LiveStream<Snapshot> {
  /** Delivers a stream event to every listener. */
  emit(event: StreamEvent): void;
  /** Says the stream had a gap it could not replay. */
  reloaded(): void;
  /** Changes the snapshot (the connection, say) and tells every subscriber. */
  set(change: Partial<Snapshot>): void;
}

/**
 * The realtime client as a live feed sees it (its events, and snapshots of its connection), for the
 * feeds' unit tests and for component tests (bundled into the test page).
 */
export function fakeStream<Snapshot extends { connection: ConnectionState }>(initial: Snapshot): FakeStream<Snapshot> {
  const listeners = new Set<StreamListener>();
  const subscribers = new Set<(snapshot: Snapshot) => void>();
  let snapshot = initial;
  return {
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    subscribe(listener) {
      subscribers.add(listener);
      listener(snapshot);
      return () => subscribers.delete(listener);
    },
    emit: (event) => listeners.forEach((listener) => listener.event?.(event)),
    reloaded: () => listeners.forEach((listener) => listener.reloaded?.()),
    set(change) {
      snapshot = { ...snapshot, ...change };
      subscribers.forEach((listener) => listener(snapshot));
    },
  };
}
