import { CONSOLE_ACCOUNT_LIMITS } from './account-limits';

/**
 * The account forms' fields, checked before a round trip so that people get a message next to the
 * field at once. Only what the contract's schemas state (required, an email's shape, the length
 * bounds); the password's strength is the server's to judge, and its `weak_password` message says
 * exactly what is wrong.
 */
export type CredentialsField = 'name' | 'email' | 'password';
export type FieldErrors<F extends string> = Partial<Record<F, string>>;
export type Checked<T, F extends string> = { ok: true; value: T } | { ok: false; errors: FieldErrors<F> };

/** The password policy as the console states it next to the field. */
export const PASSWORD_HINT = `At least ${CONSOLE_ACCOUNT_LIMITS.minPasswordLength} characters. A long phrase is easier to remember than symbols.`;

/** Sign-up: a name, an email address and a password of at least the minimum length. */
export function checkSignUp(fields: {
  name: string;
  email: string;
  password: string;
}): Checked<{ name: string; email: string; password: string }, CredentialsField> {
  const errors: FieldErrors<CredentialsField> = {};
  const name = fields.name.trim();
  if (name === '') errors.name = 'Enter your name.';
  else if (name.length > CONSOLE_ACCOUNT_LIMITS.maxNameLength)
    errors.name = `Use at most ${CONSOLE_ACCOUNT_LIMITS.maxNameLength} characters.`;
  const email = checkEmail(fields.email);
  if (email.error) errors.email = email.error;
  const password = fields.password;
  if (password === '') errors.password = 'Enter a password.';
  else if (password.length < CONSOLE_ACCOUNT_LIMITS.minPasswordLength)
    errors.password = `Use at least ${CONSOLE_ACCOUNT_LIMITS.minPasswordLength} characters (this one has ${password.length}).`;
  else if (password.length > CONSOLE_ACCOUNT_LIMITS.maxPasswordLength)
    errors.password = `Use at most ${CONSOLE_ACCOUNT_LIMITS.maxPasswordLength} characters.`;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { name, email: email.value, password } };
}

/** Sign-in: an email address and a password (its length is not checked: the server decides). */
export function checkSignIn(fields: {
  email: string;
  password: string;
}): Checked<{ email: string; password: string }, CredentialsField> {
  const errors: FieldErrors<CredentialsField> = {};
  const email = checkEmail(fields.email);
  if (email.error) errors.email = email.error;
  if (fields.password === '') errors.password = 'Enter your password.';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { email: email.value, password: fields.password } };
}

/** An email address, trimmed; the error when it is missing or does not look like one. */
export function checkEmail(text: string): { value: string; error?: string } {
  const value = text.trim();
  if (value === '') return { value, error: 'Enter an email address.' };
  if (value.length > CONSOLE_ACCOUNT_LIMITS.maxEmailLength)
    return { value, error: `Use at most ${CONSOLE_ACCOUNT_LIMITS.maxEmailLength} characters.` };
  // The server validates for real; this only catches typing slips (a missing @ or domain).
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value))
    return { value, error: 'Enter an email address like ada@example.com.' };
  return { value };
}

/** A name for a new workspace or API key. */
export function checkName(text: string, what: string, maxLength: number): { value: string; error?: string } {
  const value = text.trim();
  if (value === '') return { value, error: `Enter a name for the ${what}.` };
  if (value.length > maxLength) return { value, error: `Use at most ${maxLength} characters.` };
  return { value };
}
