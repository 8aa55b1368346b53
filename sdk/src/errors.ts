import type { ErrorBody } from '@flightdeck/contract';

/** A refusal from Flightdeck: the HTTP status and the machine-readable `code` of its error body. */
export class FlightdeckError extends Error {
  override name = 'FlightdeckError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Which fields were wrong (`payload.to`), for validation errors. */
    readonly issues: readonly { path: string; message: string }[] = [],
  ) {
    super(message);
  }

  static fromBody(status: number, body: unknown): FlightdeckError {
    const error = (body as Partial<ErrorBody> | null)?.error;
    if (error && typeof error.code === 'string' && typeof error.message === 'string')
      return new FlightdeckError(status, error.code, error.message, error.issues ?? []);
    return new FlightdeckError(status, 'unexpected_answer', `Flightdeck answered ${status} without an error body`);
  }
}

/** `waitFor` gave up before the job ended. */
export class WaitTimeoutError extends Error {
  override name = 'WaitTimeoutError';
}
