import { loadConfig } from '../src/config';

// The fair-share settings (README, "Configuration"): defaults that change nothing for one workspace,
// and clear refusals of values that make no sense.

const base = { NODE_ENV: 'test' };

it('defaults to fair share on, a dispatch depth of 400, no running limit, a generous pending limit and weight 1', () => {
  const config = loadConfig(base);
  expect(config.FAIR_SHARE).toBe('on');
  expect(config.FAIR_DISPATCH_DEPTH).toBe(400);
  expect(config.FAIR_DEFAULT_MAX_RUNNING).toBeUndefined();
  expect(config.FAIR_DEFAULT_MAX_PENDING).toBe(1_000_000);
  expect(config.FAIR_DEFAULT_WEIGHT).toBe(1);
});

it('reads the settings', () => {
  const config = loadConfig({
    ...base,
    FAIR_SHARE: 'off',
    FAIR_DISPATCH_DEPTH: '50',
    FAIR_DEFAULT_MAX_RUNNING: '20',
    FAIR_DEFAULT_MAX_PENDING: '5000',
    FAIR_DEFAULT_WEIGHT: '3',
  });
  expect(config).toMatchObject({
    FAIR_SHARE: 'off',
    FAIR_DISPATCH_DEPTH: 50,
    FAIR_DEFAULT_MAX_RUNNING: 20,
    FAIR_DEFAULT_MAX_PENDING: 5000,
    FAIR_DEFAULT_WEIGHT: 3,
  });
});

it.each([
  ['FAIR_SHARE', 'maybe'],
  ['FAIR_DISPATCH_DEPTH', '0'],
  ['FAIR_DEFAULT_MAX_RUNNING', '0'],
  ['FAIR_DEFAULT_MAX_PENDING', '-1'],
  ['FAIR_DEFAULT_WEIGHT', '0'],
  ['FAIR_DEFAULT_WEIGHT', '101'],
  ['FAIR_DEFAULT_WEIGHT', '1.5'],
])('refuses %s=%s, naming it', (name, value) => {
  expect(() => loadConfig({ ...base, [name]: value })).toThrow(new RegExp(`${name}:`));
});
