import { parseLimitsInput, limitText, shareText } from './workspace-limits-input';

const form = (values: Partial<Record<'maxRunning' | 'maxPending' | 'weight', string>>) => ({
  maxRunning: '',
  maxPending: '',
  weight: '',
  ...values,
});

describe('parseLimitsInput', () => {
  it('reads whole numbers, and empty fields as the default (null)', () => {
    expect(parseLimitsInput(form({ maxRunning: ' 5 ', weight: '3' }))).toEqual({
      limits: { maxRunning: 5, maxPending: null, weight: 3 },
      errors: {},
    });
  });

  it.each([
    ['maxRunning', '0'],
    ['maxPending', '-4'],
    ['maxPending', '2.5'],
    ['maxRunning', 'ten'],
    ['weight', '101'],
    ['weight', '0'],
    ['maxPending', '1000000001'],
  ] as const)('says %s = %j is out of range', (field, value) => {
    const { errors } = parseLimitsInput(form({ [field]: value }));
    expect(Object.keys(errors)).toEqual([field]);
    expect(errors[field]).toMatch(/^Enter a whole number from 1 to /);
  });
});

describe('limitText and shareText', () => {
  it('show the limit set, or the default, or no limit', () => {
    expect(limitText(5, 5)).toEqual({ text: '5', isDefault: false });
    expect(limitText(null, 1_000_000)).toEqual({ text: '1,000,000', isDefault: true });
    expect(limitText(null, null)).toEqual({ text: 'No limit', isDefault: true });
  });

  it('show a share as a percentage, or a dash when nothing started', () => {
    expect(shareText(0.75)).toBe('75 %');
    expect(shareText(null)).toBe('—');
  });
});
