import { ApiError } from '../api/api-client';
import { fieldErrorsOf, formErrorsOf, rateLimitMessage } from './form-errors';

const FIELDS = ['name', 'email', 'password'] as const;

describe('formErrorsOf', () => {
  it('puts validation issues next to their fields', () => {
    const error = new ApiError('…', 422, 'validation_failed', [
      { path: 'email', message: 'Invalid email address' },
      { path: 'email', message: 'second message about email' },
      { path: 'name', message: 'Too small' },
    ]);
    expect(formErrorsOf(error, FIELDS)).toEqual({
      fields: { email: 'Invalid email address.', name: 'Too small.' },
      form: 'Check the fields marked below.',
    });
  });

  it('keeps the whole message when an issue names no field of the form', () => {
    const error = new ApiError('extra: Unrecognized key', 422, 'validation_failed', [
      { path: 'extra', message: 'Unrecognized key' },
    ]);
    expect(formErrorsOf(error, FIELDS)).toEqual({ fields: {}, form: 'extra: Unrecognized key' });
  });

  it("puts the server's message for a one-field code under that field", () => {
    const error = new ApiError('Password is one of the most common passwords.', 422, 'weak_password');
    expect(formErrorsOf(error, FIELDS, { weak_password: 'password' })).toEqual({
      fields: { password: 'Password is one of the most common passwords.' },
      form: '',
    });
  });

  it('says how long to wait when rate limited', () => {
    const error = new ApiError('Too many attempts.', 429, 'rate_limited', [], 42);
    expect(formErrorsOf(error, FIELDS)).toEqual({ fields: {}, form: 'Too many attempts. Try again in 42 s.' });
    expect(rateLimitMessage(null)).toBe('Too many attempts. Wait a little, then try again.');
  });

  it('shows other failures as they are', () => {
    expect(formErrorsOf(new ApiError('Wrong email or password.', 401, 'invalid_credentials'), FIELDS)).toEqual({
      fields: {},
      form: 'Wrong email or password.',
    });
    expect(formErrorsOf(new Error('boom'), FIELDS).form).toBe('Something went wrong: boom');
  });
});

describe('fieldErrorsOf', () => {
  it('finds the field in a nested path', () => {
    expect(fieldErrorsOf([{ path: 'scopes.0', message: 'Invalid option' }], ['name', 'scopes'])).toEqual({
      scopes: 'Invalid option.',
    });
  });
});
