import type { JobLogLine, StreamEvent } from '@flightdeck/contract';
import { MAX_LIVE_LINES, emptyLog, lineCount, logAfterEvent, logPageLoaded, visibleLog } from './job-logs';

const line = (seq: number, text = `line ${seq}`): JobLogLine => ({ seq, line: text, at: '2026-03-01T10:00:00.000Z' });
const logEvent = (seq: number, lines: string[], jobId = 'job_1'): StreamEvent => ({
  seq,
  type: 'job.log',
  jobId,
  job: { id: jobId, status: 'active' },
  lines,
  at: '2026-03-01T10:00:00.000Z',
});
const texts = (lines: readonly JobLogLine[]) => lines.map((entry) => entry.line);

describe('job logs', () => {
  it('shows the lines read, then the live ones the read did not hold, once each', () => {
    let state = logAfterEvent(emptyLog(), logEvent(5, ['five']), 'job_1');
    state = logPageLoaded(state, { items: [line(3, 'three'), line(5, 'five')], nextCursor: null }, false);
    state = logAfterEvent(state, logEvent(7, ['seven a', 'seven b']), 'job_1');
    state = logAfterEvent(state, logEvent(8, ['not ours'], 'job_2'), 'job_1');
    const view = visibleLog(state);
    expect(texts(view.lines)).toEqual(['three', 'five', 'seven a', 'seven b']);
    expect(view.gap).toBe(false);
    expect(lineCount(view)).toBe(4);
  });

  it('keeps live lines after a gap while there are more lines to read, and closes it as pages come', () => {
    let state = logPageLoaded(emptyLog(), { items: [line(1), line(2)], nextCursor: 'c1' }, false);
    state = logAfterEvent(state, logEvent(9, ['nine']), 'job_1');
    expect(visibleLog(state)).toMatchObject({ gap: true });
    expect(texts(visibleLog(state).after)).toEqual(['nine']);

    state = logPageLoaded(state, { items: [line(4), line(9, 'nine')], nextCursor: null }, true);
    const view = visibleLog(state);
    expect(view.gap).toBe(false);
    expect(texts(view.lines)).toEqual(['line 1', 'line 2', 'line 4', 'nine']);
  });

  it('keeps at most the newest live lines', () => {
    const many = Array.from({ length: MAX_LIVE_LINES + 10 }, (_, index) => `l${index}`);
    const state = logAfterEvent(emptyLog(), logEvent(1, many), 'job_1');
    expect(state.live).toHaveLength(MAX_LIVE_LINES);
    expect(state.live[0]!.line).toBe('l10');
  });
});
