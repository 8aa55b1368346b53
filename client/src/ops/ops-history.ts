import type { OpsOverview } from './ops-overview';
import { HISTORY_MS, type TimeSeries } from './time-series';

/** Queue states the depth chart shows: the backlog and what runs (finished jobs are not depth). */
export const DEPTH_STATES = ['queued', 'delayed', 'active'] as const;
export type DepthState = (typeof DEPTH_STATES)[number];

interface Sample {
  /** Server time of the reading, epoch ms. */
  at: number;
  overview: OpsOverview;
}

/**
 * The last ten minutes of `GET /v1/ops` readings, and the charts drawn from them: queue depth by
 * state (all queues added up), connections per gateway, worker replicas desired vs running. Times
 * are the server's (`at`), so the window does not depend on the browser's clock.
 */
export class OpsHistory {
  private samples: Sample[] = [];

  constructor(private readonly windowMs = HISTORY_MS) {}

  /** Adds a reading; one older than (or as old as) the newest is ignored. Drops what left the window. */
  add(overview: OpsOverview): void {
    const at = Date.parse(overview.at);
    if (Number.isNaN(at)) return;
    const last = this.samples.at(-1);
    if (last && at <= last.at) return;
    this.samples.push({ at, overview });
    const oldest = at - this.windowMs;
    const keepFrom = this.samples.findIndex((sample) => sample.at >= oldest);
    if (keepFrom > 0) this.samples = this.samples.slice(keepFrom);
  }

  get size(): number {
    return this.samples.length;
  }

  /** The newest reading. */
  latest(): OpsOverview | undefined {
    return this.samples.at(-1)?.overview;
  }

  /** Server time of the newest reading (epoch ms). */
  latestAt(): number | undefined {
    return this.samples.at(-1)?.at;
  }

  private get x(): number[] {
    return this.samples.map((sample) => sample.at / 1000);
  }

  /** Jobs queued, delayed and active, all queues added up. */
  depth(): TimeSeries {
    return {
      x: this.x,
      lines: DEPTH_STATES.map((state) => ({
        key: state,
        label: state[0]!.toUpperCase() + state.slice(1),
        values: this.samples.map(({ overview }) =>
          overview.queues.reduce((sum, queue) => sum + queue.counts[state], 0),
        ),
      })),
    };
  }

  /** Open connections of each gateway seen in the window (null while a gateway was not there). */
  gatewayConnections(): TimeSeries {
    const ids = [...new Set(this.samples.flatMap(({ overview }) => overview.gateways.map((gateway) => gateway.id)))];
    ids.sort();
    return {
      x: this.x,
      lines: ids.map((id) => ({
        key: id,
        label: gatewayLabel(id),
        values: this.samples.map(
          ({ overview }) => overview.gateways.find((gateway) => gateway.id === id)?.connections ?? null,
        ),
      })),
    };
  }

  /** Worker replicas the scaling policy asks for, and worker processes running. */
  workerReplicas(): TimeSeries {
    return {
      x: this.x,
      lines: [
        { key: 'desired', label: 'Desired', values: this.samples.map(({ overview }) => overview.workers.desired) },
        { key: 'running', label: 'Running', values: this.samples.map(({ overview }) => overview.workers.running) },
      ],
    };
  }
}

/** Gateway ids are `<host>:<pid>`; pod names end in what tells them apart, so a long one keeps its end. */
export function gatewayLabel(id: string): string {
  return id.length > 28 ? `…${id.slice(-27)}` : id;
}
