/**
 * Whether an error means Redis or MongoDB could not be reached (down, restarting, not yet back),
 * as opposed to a bug or a bad request: the REST edge answers these `503 service_unavailable`, and
 * callers that can do without the dependency for a while (cached credentials) fall back on what they
 * have. Errors are recognised by name and message, not by class: the drivers may be loaded twice.
 */
export function isServiceUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 3) return false;
  if (UNAVAILABLE_ERRORS.has(error.name)) return true;
  // A bulk write that failed as a whole (no write error of its own) failed on the connection.
  if (error.name === 'MongoBulkWriteError' && !hasWriteErrors(error) && hasNetworkLabel(error)) return true;
  if (error.name === 'MongooseError' && /buffering timed out/.test(error.message)) return true;
  // ioredis: the connection dropped under a command, or is away and the command was not queued.
  if (/Connection is closed|ECONNREFUSED|ECONNRESET|Stream isn't writeable/.test(error.message)) return true;
  return isServiceUnavailable(error.cause, depth + 1);
}

const UNAVAILABLE_ERRORS = new Set([
  // MongoDB driver: no server to send to, or the connection failed under the operation.
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoPoolClearedError',
  'MongoTopologyClosedError',
  'MongoNotConnectedError',
  // ioredis: the command waited through `maxRetriesPerRequest` reconnection attempts.
  'MaxRetriesPerRequestError',
]);

/** Labels the MongoDB driver puts on errors of the connection rather than of the command. */
const NETWORK_LABELS = ['RetryableError', 'SystemOverloadedError', 'ResetPool', 'NetworkError'];

const hasWriteErrors = (error: Error) => ((error as Error & { writeErrors?: unknown[] }).writeErrors ?? []).length > 0;

const hasNetworkLabel = (error: Error) =>
  ((error as Error & { errorLabels?: string[] }).errorLabels ?? []).some((label) => NETWORK_LABELS.includes(label));
