import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { REPO_ROOT } from '../lab-env';
import { REPORT_DIR, type Recording } from '../recording';
import { chartsOf, type Chart } from './charts';

// docs/scaling-report.md's measured part, rebuilt from the recordings in docs/scaling-report/: for
// each scenario a table of its summary and its charts, drawn by uPlot (the console's chart library)
// in Chromium and saved as PNGs. Only the part between the `generated` markers is rewritten; the
// analysis around it is written by hand.

const REPORT = path.join(REPO_ROOT, 'docs', 'scaling-report.md');
const START = '<!-- generated: npm run lab -- report (do not edit by hand below) -->';
const END = '<!-- generated: end -->';
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const UPLOT = path.join(path.dirname(require.resolve('uplot/package.json')), 'dist');
const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#4b5563', '#ca8a04'];

function page(charts: Chart[]): string {
  const script = readFileSync(path.join(UPLOT, 'uPlot.iife.min.js'), 'utf8');
  const css = readFileSync(path.join(UPLOT, 'uPlot.min.css'), 'utf8');
  const draw = (chart: Chart, index: number) => `
    new uPlot({
      title: ${JSON.stringify(chart.title)}, width: 860, height: 300, legend: { live: false },
      scales: { x: { time: false } },
      axes: [{ label: 'seconds since the scenario started' }, { label: ${JSON.stringify(chart.yLabel)} }],
      series: [{}, ${chart.series
        .map(
          (series, i) =>
            `{ label: ${JSON.stringify(series.label)}, stroke: '${COLORS[i % COLORS.length]}', width: 2${series.stepped ? ', paths: uPlot.paths.stepped({ align: 1 })' : ''} }`,
        )
        .join(', ')}],
    }, ${JSON.stringify([chart.times, ...chart.series.map((series) => series.values)])}, document.getElementById('chart-${index}'));`;
  return `<!doctype html><html><head><style>${css} body { font: 13px sans-serif; background: white; margin: 0; } .chart { padding: 8px; width: 876px; }</style>
<script>${script}</script></head><body>
${charts.map((_, i) => `<div class="chart" id="chart-${i}"></div>`).join('\n')}
<script>${charts.map(draw).join('\n')}</script></body></html>`;
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object')
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k} ${cell(v)}`)
      .join(', ');
  return String(value);
}

function section(recording: Recording, images: string[]): string {
  const rows = Object.entries(recording.summary).map(([key, value]) => `| ${key} | ${cell(value)} |`);
  return [
    `### ${recording.title}`,
    '',
    `Recorded ${recording.startedAt}, ${recording.samples.length} samples (one a second); data: [\`scaling-report/${recording.scenario}.json\`](scaling-report/${recording.scenario}.json).`,
    '',
    '| measure | value |',
    '| --- | --- |',
    ...rows,
    '',
    ...images.map((image) => `![${image}](scaling-report/${image})`),
    '',
  ].join('\n');
}

export async function renderReport(): Promise<void> {
  const recordings = readdirSync(REPORT_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => JSON.parse(readFileSync(path.join(REPORT_DIR, file), 'utf8')) as Recording);
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const sections: string[] = [];
  try {
    for (const recording of recordings) {
      const charts = chartsOf(recording);
      const tab = await browser.newPage({ viewport: { width: 900, height: 400 } });
      await tab.setContent(page(charts));
      const images: string[] = [];
      for (const [index, chart] of charts.entries()) {
        const image = `${recording.scenario}-${chart.id}.png`;
        await tab.locator(`#chart-${index}`).screenshot({ path: path.join(REPORT_DIR, image) });
        images.push(image);
      }
      await tab.close();
      sections.push(section(recording, images));
    }
  } finally {
    await browser.close();
  }
  const previous = existsSync(REPORT) ? readFileSync(REPORT, 'utf8') : `# Scaling report\n\n${START}\n${END}\n`;
  const before = previous.slice(0, previous.indexOf(START) + START.length);
  const after = previous.slice(previous.indexOf(END));
  writeFileSync(REPORT, `${before}\n\n${sections.join('\n')}\n${after}`);
}
