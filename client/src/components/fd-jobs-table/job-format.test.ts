import { describeAge, formatAge, progressPercent, shortId } from './job-format';

describe('formatAge', () => {
  it('is short, with a fixed number of digits after the leading unit', () => {
    expect(formatAge(0)).toBe('0s');
    expect(formatAge(59_999)).toBe('59s');
    expect(formatAge(65_000)).toBe('1m 05s');
    expect(formatAge(2 * 3600_000 + 7 * 60_000)).toBe('2h 07m');
    expect(formatAge(3 * 86_400_000 + 4 * 3600_000)).toBe('3d 4h');
  });

  it('never goes negative when the clocks of browser and server differ', () => {
    expect(formatAge(-5_000)).toBe('0s');
  });
});

describe('describeAge', () => {
  it('reads as words', () => {
    expect(describeAge(1_000)).toBe('1 second ago');
    expect(describeAge(120_000)).toBe('2 minutes ago');
    expect(describeAge(3 * 86_400_000)).toBe('3 days ago');
  });
});

describe('shortId / progressPercent', () => {
  it('keeps the distinctive end of an id', () => {
    expect(shortId('01M8C1GPX20JTR4AN8XAT22ADT')).toBe('8XAT22ADT'.slice(-8));
    expect(shortId('abc')).toBe('abc');
  });

  it('rounds and clamps progress', () => {
    expect(progressPercent(33.333)).toBe(33);
    expect(progressPercent(250)).toBe(100);
    expect(progressPercent(Number.NaN)).toBe(0);
  });
});
