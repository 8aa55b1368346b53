import { html } from 'lit';
import type { FlowFigures } from '../../ops/job-flow';
import {
  depthSummary,
  failureSummary,
  formatCount,
  formatDuration,
  formatPercent,
  formatRate,
  gatewaySummary,
  latencySummary,
  throughputSummary,
  workerSummary,
} from '../../ops/ops-format';
import type { OpsOverview } from '../../ops/ops-overview';
import type { TimeSeries } from '../../ops/time-series';
import type { AxisSpec, LineStyle } from '../fd-ops-chart/fd-ops-chart.component';
import '../fd-ops-chart/fd-ops-chart.component';

/** What the ops view's charts show: the series of the last ten minutes and the flow's figures now. */
export interface Charts {
  depth: TimeSeries;
  throughput: TimeSeries;
  failures: TimeSeries;
  latency: TimeSeries;
  gateways: TimeSeries;
  workers: TimeSeries;
  figures: FlowFigures;
}

const styleTable = (table: Record<string, LineStyle>) => (key: string) => table[key] ?? { color: 'var(--_accent)' };

const DEPTH_STYLES = styleTable({
  queued: { color: 'var(--_status-queued)' },
  delayed: { color: 'var(--_status-delayed)', dash: [6, 4] },
  active: { color: 'var(--_status-active)', dash: [2, 3] },
});
const THROUGHPUT_STYLES = styleTable({ completed: { color: 'var(--_status-completed)', fill: true } });
const FAILURE_STYLES = styleTable({
  'per-minute': { color: 'var(--_status-failed)' },
  share: { color: 'var(--_status-delayed)', dash: [6, 4], scale: 'y2' },
});
const LATENCY_STYLES = styleTable({
  p50: { color: 'var(--_accent)' },
  p95: { color: 'var(--_status-delayed)', dash: [6, 4] },
});
const WORKER_STYLES = styleTable({
  desired: { color: 'var(--_accent)', dash: [6, 4], stepped: true },
  running: { color: 'var(--_status-completed)', stepped: true },
});
/** Gateways come and go: colours and dashes in turn, so two lines never look alike. */
const GATEWAY_COLORS = [
  '--_accent',
  '--_status-completed',
  '--_status-delayed',
  '--_status-failed',
  '--_status-queued',
];
const GATEWAY_DASHES: (number[] | undefined)[] = [undefined, [6, 4], [2, 3], [10, 3, 2, 3]];
const gatewayStyle = (_key: string, index: number): LineStyle => {
  const dash = GATEWAY_DASHES[index % GATEWAY_DASHES.length];
  return { color: `var(${GATEWAY_COLORS[index % GATEWAY_COLORS.length]})`, stepped: true, ...(dash ? { dash } : {}) };
};

const COUNT_AXIS: AxisSpec = { format: formatCount, integer: true };
const THROUGHPUT_AXIS: AxisSpec = { format: (value) => `${formatRate(value)}/s` };
const FAILURE_AXIS: AxisSpec = { format: (value) => `${formatRate(value)}/min` };
const SHARE_AXIS: AxisSpec = { format: formatPercent, max: 100 };
const LATENCY_AXIS: AxisSpec = { format: formatDuration };

interface ChartSpec {
  heading: string;
  /** The sentence under the heading, from the last reading or the flow's figures; '' before either. */
  summary(overview: OpsOverview | null, figures: FlowFigures | undefined): string;
  series(charts: Charts): TimeSeries;
  lineStyle: (key: string, index: number) => LineStyle;
  axis: AxisSpec;
  axis2?: AxisSpec;
}

const CHARTS: readonly ChartSpec[] = [
  {
    heading: 'Queue depth',
    summary: (overview) => (overview ? depthSummary(overview) : ''),
    series: (charts) => charts.depth,
    lineStyle: DEPTH_STYLES,
    axis: COUNT_AXIS,
  },
  {
    heading: 'Throughput',
    summary: (_overview, figures) => (figures ? throughputSummary(figures) : ''),
    series: (charts) => charts.throughput,
    lineStyle: THROUGHPUT_STYLES,
    axis: THROUGHPUT_AXIS,
  },
  {
    heading: 'Failures',
    summary: (_overview, figures) => (figures ? failureSummary(figures) : ''),
    series: (charts) => charts.failures,
    lineStyle: FAILURE_STYLES,
    axis: FAILURE_AXIS,
    axis2: SHARE_AXIS,
  },
  {
    heading: 'Latency, submit to start',
    summary: (_overview, figures) => (figures ? latencySummary(figures) : ''),
    series: (charts) => charts.latency,
    lineStyle: LATENCY_STYLES,
    axis: LATENCY_AXIS,
  },
  {
    heading: 'Gateway connections',
    summary: (overview) => (overview ? gatewaySummary(overview) : ''),
    series: (charts) => charts.gateways,
    lineStyle: gatewayStyle,
    axis: COUNT_AXIS,
  },
  {
    heading: 'Worker replicas',
    summary: (overview) => (overview ? workerSummary(overview) : ''),
    series: (charts) => charts.workers,
    lineStyle: WORKER_STYLES,
    axis: COUNT_AXIS,
  },
];

const EMPTY: TimeSeries = { x: [], lines: [] };

/** The ops view's six charts (empty until the first reading), each with its styles, axes and summary. */
export function renderCharts(charts: Charts | null, overview: OpsOverview | null) {
  return html`
    <div class="charts">
      ${CHARTS.map(
        (chart) =>
          html`<fd-ops-chart
            heading=${chart.heading}
            summary=${chart.summary(overview, charts?.figures)}
            .series=${charts ? chart.series(charts) : EMPTY}
            .lineStyle=${chart.lineStyle}
            .axis=${chart.axis}
            .axis2=${chart.axis2 ?? null}
          ></fd-ops-chart>`,
      )}
    </div>
  `;
}
