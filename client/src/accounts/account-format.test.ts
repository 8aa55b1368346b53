import { describeCreator, formatDay, formatMoment } from './account-format';

describe('account formats', () => {
  it('shows a day, and the text itself when it is not a date', () => {
    expect(formatDay('2026-03-12T14:05:00.000Z', 'en-GB')).toBe('12 Mar 2026');
    expect(formatDay('soon', 'en-GB')).toBe('soon');
    expect(formatMoment('2026-03-12T14:05:00.000Z', 'en-GB')).toMatch(/^12 Mar 2026/);
  });

  it('names who created a key', () => {
    expect(describeCreator({ type: 'user', name: 'Ada' })).toBe('Ada');
    expect(describeCreator({ type: 'apiKey', name: 'deploy bot' })).toBe('API key “deploy bot”');
    expect(describeCreator(null)).toBe('');
  });
});
