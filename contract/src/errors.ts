/** Every machine-readable `error.code` the API and the socket gateway answer with. */
export const ERROR_CODES = [
  'invalid_json',
  'validation_failed',
  'unknown_job_type',
  'invalid_payload',
  'payload_too_large',
  'range_not_satisfiable',
  'unsupported_media_type',
  'unauthorized',
  'invalid_credentials',
  'weak_password',
  'email_taken',
  'workspace_required',
  'csrf_rejected',
  'forbidden',
  'not_found',
  'route_not_found',
  'method_not_allowed',
  'job_not_cancellable',
  'job_not_retryable',
  'job_not_promotable',
  'user_not_found',
  'already_member',
  'last_owner',
  'limit_reached',
  'job_type_reserved',
  'job_claimed',
  'not_claim_holder',
  'rate_limited',
  'quota_exceeded',
  'service_unavailable',
  'internal_error',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    /** Which fields were wrong, for validation errors. */
    issues?: { path: string; message: string }[];
  };
}
