import type { Recording } from '../recording';
import type { Sample } from '../sampler';

// The charts of a scenario, as series over the run's seconds, built from its recording alone. The
// renderer (render-report.ts) draws them with uPlot in Chromium and saves each as a PNG.

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  /** Drawn as steps (replica counts) rather than lines. */
  stepped?: boolean;
}

export interface Chart {
  /** File name part: docs/scaling-report/<scenario>-<id>.png. */
  id: string;
  title: string;
  yLabel: string;
  times: number[];
  series: ChartSeries[];
}

const sum = (values: (number | undefined)[]) => values.reduce<number>((total, value) => total + (value ?? 0), 0);

/** The sum over the queues a sample holds of one count. */
const queueTotal = (sample: Sample, pick: (depth: Sample['queues'][string]) => number) =>
  sum(Object.values(sample.queues).map(pick));

/** Jobs ended per second, from the observer's running count (a 3 s moving window, to smooth ticks). */
function throughput(samples: Sample[]): (number | null)[] {
  return samples.map((sample, i) => {
    const from = samples[Math.max(0, i - 3)]!;
    return i === 0 || sample.t === from.t ? null : (sample.ended - from.ended) / (sample.t - from.t);
  });
}

function scalingSeries(samples: Sample[], deployment: string, component: string): ChartSeries[] {
  return [
    { label: 'HPA desired', values: samples.map((s) => s.scaling[deployment]?.desired ?? null), stepped: true },
    {
      label: 'Deployment replicas',
      values: samples.map((s) => s.scaling[deployment]?.replicas ?? null),
      stepped: true,
    },
    { label: 'ready', values: samples.map((s) => s.scaling[deployment]?.ready ?? null), stepped: true },
    { label: 'processes running', values: samples.map((s) => s.processes[component] ?? 0), stepped: true },
  ];
}

export function chartsOf(recording: Recording): Chart[] {
  const { samples } = recording;
  const times = samples.map((sample) => Math.round(sample.t * 10) / 10);
  const charts: Chart[] = [
    {
      id: 'queue',
      title: 'Queue depth by state (all queues)',
      yLabel: 'jobs',
      times,
      series: [
        { label: 'waiting', values: samples.map((s) => queueTotal(s, (q) => q.wait + q.prioritized)) },
        { label: 'active', values: samples.map((s) => queueTotal(s, (q) => q.active)) },
        { label: 'delayed', values: samples.map((s) => queueTotal(s, (q) => q.delayed)) },
      ],
    },
    {
      id: 'workers',
      title: 'Worker replicas: what KEDA/HPA asks for, what runs',
      yLabel: 'pods',
      times,
      series: scalingSeries(samples, 'flightdeck-worker', 'worker'),
    },
    {
      id: 'throughput',
      title: 'Jobs ended per second (seen by a subscribed socket)',
      yLabel: 'jobs/s',
      times,
      series: [{ label: 'jobs ended/s', values: throughput(samples) }],
    },
  ];
  const gateways = new Set(samples.flatMap((sample) => Object.keys(sample.connections)));
  if (recording.scenario === 'connections' || recording.scenario === 'diurnal') {
    charts.push({
      id: 'gateways',
      title: 'Gateway replicas and open connections per gateway',
      yLabel: 'sockets',
      times,
      series: [...gateways].map((pod) => ({
        label: pod.replace(/^flightdeck-gateway-/, ''),
        values: samples.map((s) => s.connections[pod] ?? null),
      })),
    });
    charts.push({
      id: 'gateway-replicas',
      title: 'Gateway replicas',
      yLabel: 'pods',
      times,
      series: scalingSeries(samples, 'flightdeck-gateway', 'gateway'),
    });
  }
  return charts;
}
