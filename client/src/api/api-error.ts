import type { ErrorBody, ErrorCode } from '@flightdeck/contract';

/** A failed API call: the contract's error body when the server sent one, else what went wrong on the way. */
export class ApiError extends Error {
  override name = 'ApiError';

  constructor(
    message: string,
    /** The HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    /** The contract's machine-readable code, or `network_error` / `invalid_response` for failures on the way. */
    readonly code: ErrorCode | 'network_error' | 'invalid_response',
    /** Which fields were wrong, for validation errors (paths as the API names them, e.g. `payload.ms`). */
    readonly issues: readonly { path: string; message: string }[] = [],
    /** For `429 rate_limited`: how many seconds the server asks to wait (its `Retry-After`), when it said. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }

  /** True when the credentials are missing, invalid or revoked: asking again with the same key will not help. */
  get isUnauthorized(): boolean {
    return this.status === 401;
  }
}

function isErrorBody(value: unknown): value is ErrorBody {
  const error = (value as Partial<ErrorBody> | undefined)?.error;
  return (
    typeof error === 'object' && error !== null && typeof error.message === 'string' && typeof error.code === 'string'
  );
}

/** The error a failed response stands for, with a message a person can act on. */
export function apiErrorFrom(
  response: Pick<Response, 'status' | 'statusText'> & { headers?: Pick<Headers, 'get'> },
  body: unknown,
): ApiError {
  const retryAfter = response.status === 429 ? retryAfterSeconds(response.headers?.get('retry-after') ?? null) : null;
  if (!isErrorBody(body)) {
    const reason = response.statusText ? ` ${response.statusText}` : '';
    const code =
      response.status === 401
        ? 'unauthorized'
        : response.status === 429
          ? 'rate_limited'
          : response.status >= 500
            ? 'internal_error'
            : 'invalid_response';
    return new ApiError(`Flightdeck answered HTTP ${response.status}${reason}.`, response.status, code, [], retryAfter);
  }
  const { code, message, issues = [] } = body.error;
  // Validation answers list each wrong field; that list reads better than a multi-line summary.
  const text =
    issues.length > 0 ? issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ') : sentence(message);
  return new ApiError(text, response.status, code, issues, retryAfter);
}

/**
 * Seconds to wait from a `Retry-After` header: a number of seconds or an HTTP date (RFC 9110),
 * rounded up, at least 1; `null` when absent or unreadable.
 */
export function retryAfterSeconds(header: string | null, now = Date.now()): number | null {
  const value = header?.trim();
  if (!value) return null;
  if (/^\d+$/.test(value)) return Math.max(1, Number(value));
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(1, Math.ceil((at - now) / 1000));
}

function sentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return 'The request failed.';
  const capital = trimmed[0]!.toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
