import type { ErrorCode } from '@flightdeck/contract';
import { ApiError } from '../api/api-client';

/**
 * Which field each of the API's validation issues is about, for the fields a form has: the first
 * message per field. Issue paths name the body's fields (`email`, `scopes.0`); a path that names
 * none of the form's fields is left for the form's own message.
 */
export function fieldErrorsOf<F extends string>(
  issues: readonly { path: string; message: string }[],
  fields: readonly F[],
): Partial<Record<F, string>> {
  const errors: Partial<Record<F, string>> = {};
  for (const issue of issues) {
    const field = fieldOf(issue.path, fields);
    if (field) errors[field] ??= sentence(issue.message);
  }
  return errors;
}

function fieldOf<F extends string>(path: string, fields: readonly F[]): F | undefined {
  return path.split('.').find((part): part is F => (fields as readonly string[]).includes(part));
}

/**
 * What a failed form submit shows: errors next to the fields (validation issues, and the codes in
 * `codeFields` that are about one field, like `weak_password` → password), and a message for the
 * whole form when no field explains the failure.
 */
export function formErrorsOf<F extends string>(
  error: unknown,
  fields: readonly F[],
  codeFields: Partial<Record<ErrorCode, F>> = {},
): { fields: Partial<Record<F, string>>; form: string } {
  if (!(error instanceof ApiError)) return { fields: {}, form: `Something went wrong: ${messageOf(error)}` };
  if (error.code === 'rate_limited') return { fields: {}, form: rateLimitMessage(error.retryAfterSeconds) };
  const field = error.code in codeFields ? codeFields[error.code as ErrorCode] : undefined;
  if (field) return { fields: { [field]: error.message } as Partial<Record<F, string>>, form: '' };
  const fieldErrors = fieldErrorsOf(error.issues, fields);
  const explained = error.issues.length > 0 && error.issues.every((issue) => fieldOf(issue.path, fields));
  return { fields: fieldErrors, form: explained ? 'Check the fields marked below.' : error.message };
}

/** `Too many attempts. Try again in 30 s.` (or without a time, when the server gave none). */
export function rateLimitMessage(retryAfterSeconds: number | null): string {
  return retryAfterSeconds === null
    ? 'Too many attempts. Wait a little, then try again.'
    : `Too many attempts. Try again in ${retryAfterSeconds} s.`;
}

/** A message to show for any failure. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
