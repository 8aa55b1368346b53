import { ACCOUNT_LIMITS } from '@flightdeck/contract';
import { PASSWORD_HINT, checkEmail, checkName, checkSignIn, checkSignUp } from './account-input';

describe('checkSignUp', () => {
  it('passes complete fields, trimming the name and email', () => {
    expect(checkSignUp({ name: ' Ada ', email: ' ada@example.com ', password: 'correct horse' })).toEqual({
      ok: true,
      value: { name: 'Ada', email: 'ada@example.com', password: 'correct horse' },
    });
  });

  it('says what is wrong with each field', () => {
    expect(checkSignUp({ name: ' ', email: 'ada', password: 'short' })).toEqual({
      ok: false,
      errors: {
        name: 'Enter your name.',
        email: 'Enter an email address like ada@example.com.',
        password: `Use at least ${ACCOUNT_LIMITS.minPasswordLength} characters (this one has 5).`,
      },
    });
    expect(checkSignUp({ name: 'A', email: '', password: '' })).toMatchObject({
      errors: { email: 'Enter an email address.', password: 'Enter a password.' },
    });
  });

  it('states the policy in the hint', () => {
    expect(PASSWORD_HINT).toContain(`At least ${ACCOUNT_LIMITS.minPasswordLength} characters`);
  });
});

describe('checkSignIn', () => {
  it('does not judge the length of a password at sign-in', () => {
    expect(checkSignIn({ email: 'ada@example.com', password: 'x' })).toEqual({
      ok: true,
      value: { email: 'ada@example.com', password: 'x' },
    });
    expect(checkSignIn({ email: 'ada@example.com', password: '' })).toEqual({
      ok: false,
      errors: { password: 'Enter your password.' },
    });
  });
});

describe('checkEmail and checkName', () => {
  it('catch slips, not everything the server checks', () => {
    expect(checkEmail('ada@example.com')).toEqual({ value: 'ada@example.com' });
    expect(checkEmail('ada@example').error).toBeDefined();
    expect(checkName('  Payments ', 'workspace', 100)).toEqual({ value: 'Payments' });
    expect(checkName('', 'key', 100).error).toBe('Enter a name for the key.');
    expect(checkName('x'.repeat(101), 'key', 100).error).toBe('Use at most 100 characters.');
  });
});
