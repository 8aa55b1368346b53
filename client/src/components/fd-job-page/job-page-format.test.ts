import { durationBetween, formatDuration, formatWhen, prettyJson, sendShortcutLabel } from './job-page-format';

describe('job page formats', () => {
  it('writes durations at a glance', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(4_230)).toBe('4.2 s');
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(185_000)).toBe('3 min 05 s');
    expect(formatDuration(7_620_000)).toBe('2 h 07 min');
    expect(formatDuration(-1)).toBe('');
  });

  it('measures between two times, when both are known', () => {
    expect(durationBetween('2026-03-01T10:00:00.000Z', '2026-03-01T10:00:01.500Z')).toBe(1_500);
    expect(durationBetween(null, '2026-03-01T10:00:01.500Z')).toBeNull();
    expect(durationBetween('nonsense', '2026-03-01T10:00:01.500Z')).toBeNull();
  });

  it('shows only the time for today, and the date too for other days', () => {
    const now = new Date('2026-03-01T12:00:00');
    expect(formatWhen(new Date('2026-03-01T10:05:00').toISOString(), now)).not.toMatch(/2026/);
    expect(formatWhen(new Date('2025-12-24T10:05:00').toISOString(), now)).toMatch(/2025/);
    expect(formatWhen(null, now)).toBe('');
  });

  it('lays JSON out for reading', () => {
    expect(prettyJson({ ms: 1, nested: { a: [1] } })).toBe(
      '{\n  "ms": 1,\n  "nested": {\n    "a": [\n      1\n    ]\n  }\n}',
    );
    expect(prettyJson('text')).toBe('"text"');
  });

  it('names the send shortcut as the platform does', () => {
    expect(sendShortcutLabel('MacIntel')).toBe('⌘ Enter');
    expect(sendShortcutLabel('Linux x86_64')).toBe('Ctrl+Enter');
  });
});
