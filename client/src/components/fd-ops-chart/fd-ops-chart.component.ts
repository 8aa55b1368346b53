import { LitElement, html, nothing, svg, type CSSResultGroup, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import type uPlot from 'uplot';
import { hasData, latestValue, type TimeSeries } from '../../ops/time-series';
import { themeStyles } from '../../styles/theme.styles';
import styles from './fd-ops-chart.styles';

/** How a line looks: a colour from the theme and a dash pattern, so that lines differ without colour too. */
export interface LineStyle {
  /** A CSS colour, usually a theme token (`var(--_status-active)`): resolved for the light or dark scheme. */
  color: string;
  /** Canvas dash pattern (e.g. `[6, 4]`); solid when absent. */
  dash?: number[];
  /** The right-hand axis (`y2`) instead of the left one. */
  scale?: 'y' | 'y2';
  /** A step line, for whole numbers that change in steps (replicas). */
  stepped?: boolean;
  /** Shade the area under the line. */
  fill?: boolean;
}

/** An axis: how its values read, and whether they are whole numbers (counts). */
export interface AxisSpec {
  format: (value: number) => string;
  integer?: boolean;
  /** A fixed top (e.g. 100 for a percentage); otherwise a little above the highest value. */
  max?: number;
}

const PLOT_HEIGHT = 180;

let uPlotLoading: Promise<typeof uPlot> | undefined;

/** uPlot is loaded on first use, in its own chunk: the console's other views never download it. */
function loadUPlot(): Promise<typeof uPlot> {
  uPlotLoading ??= import('uplot').then((module) => module.default);
  return uPlotLoading;
}

/**
 * One live time-series chart of the ops view: a heading, a text summary of the latest figures (what
 * a screen reader reads; the canvas itself is an image labelled with it), the plot, and a legend
 * that shows each line's dash pattern, label and value (the latest, or where the pointer is). With
 * nothing to draw yet it says so, in the same room, so the page does not jump when data arrives.
 *
 * Drawn with uPlot on a canvas; colours come from the theme tokens and follow light and dark.
 *
 * @attr heading - The chart's title.
 * @attr summary - The latest figures, in words.
 * @attr empty-text - What shows while there is nothing to draw.
 */
@customElement('fd-ops-chart')
export class FdOpsChart extends LitElement {
  static override styles: CSSResultGroup = [themeStyles, styles];

  @property() heading = '';
  @property() summary = '';
  @property({ attribute: 'empty-text' }) emptyText = 'No data yet';
  @property({ attribute: false }) series: TimeSeries = { x: [], lines: [] };
  /** The style of each line, by key and position. */
  @property({ attribute: false }) lineStyle: (key: string, index: number) => LineStyle = () => ({
    color: 'var(--_accent)',
  });
  @property({ attribute: false }) axis: AxisSpec = { format: (value) => String(value) };
  /** The right-hand axis, for lines with `scale: 'y2'`. */
  @property({ attribute: false }) axis2: AxisSpec | null = null;

  /** The point the pointer is on, or null: the legend then shows the latest values. */
  @state() private cursorIndex: number | null = null;

  @query('.plot') private plotElement!: HTMLElement;
  @query('.chart__body') private bodyElement!: HTMLElement;

  private chart: uPlot | undefined;
  /** What the chart was built for: lines, styles and the colour scheme; a change rebuilds it. */
  private chartShape = '';
  private resizeObserver: ResizeObserver | undefined;
  private readonly darkScheme = window.matchMedia('(prefers-color-scheme: dark)');
  private readonly onSchemeChange = () => {
    this.chartShape = '';
    this.requestUpdate();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    this.darkScheme.addEventListener('change', this.onSchemeChange);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.darkScheme.removeEventListener('change', this.onSchemeChange);
    this.resizeObserver?.disconnect();
    this.resizeObserver = undefined;
    this.chart?.destroy();
    this.chart = undefined;
    this.chartShape = '';
  }

  protected override firstUpdated(): void {
    // The body keeps its room while the plot is hidden: its width is the plot's to be.
    this.resizeObserver = new ResizeObserver(() => this.fitWidth());
    this.resizeObserver.observe(this.bodyElement);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('series') || changed.has('lineStyle') || changed.has('axis') || !this.chart) void this.draw();
  }

  override render() {
    const series = this.series;
    const drawable = hasData(series);
    return html`
      <section class="chart" aria-labelledby="heading">
        <h3 id="heading" class="chart__heading">${this.heading}</h3>
        <p id="summary" class="chart__summary">${this.summary}</p>
        <div class="chart__body">
          <div
            class="plot"
            role="img"
            aria-label=${drawable ? `${this.heading}, last 10 minutes: ${this.summary}` : this.emptyText}
            ?hidden=${!drawable}
          ></div>
          ${drawable ? nothing : html`<p class="chart__empty">${this.emptyText}</p>`}
        </div>
        ${drawable ? this.renderLegend(series) : nothing}
        <div class="probes" aria-hidden="true">
          ${series.lines.map(
            (line, index) =>
              html`<span
                class="probe"
                data-key=${line.key}
                style=${styleMap({ color: this.styleOf(line.key, index).color })}
              ></span>`,
          )}
          <span class="probe probe--axis"></span><span class="probe probe--grid"></span>
        </div>
      </section>
    `;
  }

  private renderLegend(series: TimeSeries) {
    const index = this.cursorIndex;
    return html`
      <ul class="legend" aria-label="Lines of ${this.heading}">
        ${series.lines.map((line, position) => {
          const style = this.styleOf(line.key, position);
          const value = index === null ? latestValue(line) : (line.values[index] ?? null);
          const format = style.scale === 'y2' && this.axis2 ? this.axis2.format : this.axis.format;
          return html`<li class="legend__item">
            <svg class="legend__swatch" viewBox="0 0 28 8" aria-hidden="true">
              ${svg`<line x1="1" y1="4" x2="27" y2="4" stroke-width="3" stroke-linecap="butt"
                style=${styleMap({ stroke: style.color })}
                stroke-dasharray=${style.dash ? style.dash.join(' ') : 'none'}></line>`}
            </svg>
            <span class="legend__label">${line.label}</span>
            <span class="legend__value">${value === null ? '–' : format(value)}</span>
          </li>`;
        })}
      </ul>
    `;
  }

  private styleOf(key: string, index: number): LineStyle {
    return this.lineStyle(key, index);
  }

  private async draw(): Promise<void> {
    const series = this.series;
    if (!hasData(series)) return;
    const UPlot = await loadUPlot();
    if (!this.isConnected || series !== this.series) return;
    const shape = this.shapeOf(series);
    const data = [series.x, ...series.lines.map((line) => line.values)] as uPlot.AlignedData;
    if (this.chart && shape === this.chartShape) {
      this.chart.setData(data);
      return;
    }
    this.chart?.destroy();
    this.chartShape = shape;
    this.chart = new UPlot(this.options(UPlot, series), data, this.plotElement);
    // The grid may still have been settling when the width was read.
    requestAnimationFrame(() => this.fitWidth());
  }

  /** What decides how the chart is built: the lines, their styles, the colours in force. */
  private shapeOf(series: TimeSeries): string {
    const lines = series.lines.map((line, index) => [line.key, line.label, this.styleOf(line.key, index)]);
    return JSON.stringify([lines, this.darkScheme.matches, Boolean(this.axis2)]);
  }

  private options(UPlot: typeof uPlot, series: TimeSeries): uPlot.Options {
    const probes = this.renderRoot.querySelector('.probes')!;
    const colorOf = (selector: string) => {
      const probe = probes.querySelector<HTMLElement>(selector);
      return probe ? getComputedStyle(probe).color : 'currentColor';
    };
    const textColor = colorOf('.probe--axis');
    const gridColor = colorOf('.probe--grid');
    const font = `12px ${getComputedStyle(this).fontFamily || 'system-ui, sans-serif'}`;
    const axisBase = {
      stroke: textColor,
      font,
      grid: { stroke: gridColor, width: 1 },
      ticks: { stroke: gridColor, width: 1, size: 4 },
    };
    const yAxis = (spec: AxisSpec, scale: 'y' | 'y2'): uPlot.Axis => ({
      ...axisBase,
      scale,
      side: scale === 'y' ? 3 : 1,
      size: 52,
      ...(scale === 'y2' ? { grid: { show: false } } : {}),
      ...(spec.integer ? { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 100_000] } : {}),
      values: (_chart, splits) => splits.map((value) => spec.format(value)),
    });
    const range =
      (spec: AxisSpec): uPlot.Range.Function =>
      (_chart, _min, max) => {
        if (spec.max !== undefined) return [0, spec.max];
        const top = max > 0 ? max * 1.15 : 1;
        return [0, spec.integer ? Math.max(1, Math.ceil(top)) : top];
      };
    const xAxis: uPlot.Axis = {
      ...axisBase,
      space: 80,
      size: 32,
      // Times of day only (uPlot adds the date under the first tick): the charts cover ten minutes.
      values: (_chart, splits, _axis, _space, increment) => splits.map((at) => timeOfDay(at, increment < 60)),
    };
    const axes: uPlot.Axis[] = [xAxis, yAxis(this.axis, 'y')];
    const scales: uPlot.Scales = { x: { time: true }, y: { range: range(this.axis) } };
    if (this.axis2) {
      axes.push(yAxis(this.axis2, 'y2'));
      scales.y2 = { range: range(this.axis2) };
    }
    return {
      width: this.plotWidth(),
      height: PLOT_HEIGHT,
      legend: { show: false },
      cursor: { drag: { x: false, y: false, setScale: false }, points: { size: 7 } },
      scales,
      axes,
      series: [
        {},
        ...series.lines.map((line, index): uPlot.Series => {
          const style = this.styleOf(line.key, index);
          const stroke = colorOf(`.probe[data-key="${CSS.escape(line.key)}"]`);
          return {
            label: line.label,
            stroke,
            width: 2,
            scale: style.scale ?? 'y',
            spanGaps: false,
            points: { show: false },
            ...(style.dash ? { dash: style.dash } : {}),
            ...(style.fill ? { fill: withAlpha(stroke, 0.12) } : {}),
            ...(style.stepped ? { paths: UPlot.paths.stepped!({ align: 1 }) } : {}),
          };
        }),
      ],
      hooks: {
        setCursor: [
          (chart) => {
            const index = chart.cursor.idx;
            this.cursorIndex = index === undefined || index === null ? null : index;
          },
        ],
      },
    };
  }

  private plotWidth(): number {
    return Math.max(200, Math.floor(this.bodyElement.getBoundingClientRect().width));
  }

  private fitWidth(): void {
    if (!this.chart) return;
    const width = this.plotWidth();
    if (width !== this.chart.width) this.chart.setSize({ width, height: PLOT_HEIGHT });
  }
}

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const clockWithSeconds = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** `14:05`, or `14:05:30` when ticks are less than a minute apart. */
function timeOfDay(epochSeconds: number, withSeconds: boolean): string {
  return (withSeconds ? clockWithSeconds : clock).format(epochSeconds * 1000);
}

/** `rgb(r, g, b)` as the browser computes it, with an alpha. */
function withAlpha(color: string, alpha: number): string {
  const match = /^rgba?\(([^)]+)\)$/.exec(color);
  if (!match) return color;
  const [r, g, b] = match[1]!.split(/[\s,/]+/);
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

declare global {
  interface HTMLElementTagNameMap {
    'fd-ops-chart': FdOpsChart;
  }
}
