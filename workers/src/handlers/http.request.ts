import { UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import { defineJobType } from '../job-type';
import { OutboundUrlRefusedError } from '../outbound/outbound-guard';
import { pinnedAgent } from '../outbound/pinned-agent';

/** The most of a response body a result keeps; the rest is dropped and the result says `truncated`. */
export const MAX_RESPONSE_BODY_BYTES = 1_048_576;

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
/** An RFC 9110 token; values may not carry CR, LF or NUL (header injection). */
const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be an HTTP header name');
const headerValue = z.string().regex(/^[^\r\n\0]*$/, 'must not contain CR, LF or NUL');

export const httpRequestPayloadSchema = z
  .strictObject({
    url: z.url({ protocol: /^https?$/ }).max(8192),
    // Methods are case-sensitive on the wire, but nobody means `post` as another method than POST.
    method: z
      .preprocess((value) => (typeof value === 'string' ? value.toUpperCase() : value), z.enum(METHODS))
      .default('GET'),
    headers: z.record(headerName, headerValue).default({}),
    // Job data stays small (see STYLE.md); large uploads are not what this job type is for.
    body: z.string().max(262_144).optional(),
    timeoutMs: z.number().int().min(1).max(60_000).default(10_000),
  })
  .refine((payload) => payload.body === undefined || (payload.method !== 'GET' && payload.method !== 'HEAD'), {
    message: 'GET and HEAD requests cannot have a body',
    path: ['body'],
  });

export interface HttpRequestResult {
  status: number;
  /** Response headers, names lower case; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The body as UTF-8 text, at most `MAX_RESPONSE_BODY_BYTES`. */
  body: string;
  /** Present when the body was cut at `MAX_RESPONSE_BODY_BYTES`. */
  truncated?: true;
}

/**
 * Calls an HTTP(S) URL and returns the response. Any status completes the job, 4xx and 5xx too: the
 * call was made and its answer is the result (submitters decide what a status means). Redirects are
 * not followed (a 3xx completes with its `location` header), since each hop would need its own check.
 * The URL's host is checked by the outbound guard first, and the connection goes to the checked
 * address; a refused URL fails the job unrecoverably (never retried). Timeouts and network errors
 * are ordinary failures, retried when the job has attempts left.
 */
export default defineJobType({
  type: 'http.request',
  queue: 'http',
  payloadSchema: httpRequestPayloadSchema,
  async run({ url, method, headers, body, timeoutMs }, { signal, outbound, log }): Promise<HttpRequestResult> {
    let target;
    try {
      target = await outbound.check(url);
    } catch (error) {
      if (error instanceof OutboundUrlRefusedError) throw new UnrecoverableError(error.message);
      throw error;
    }
    const timeout = AbortSignal.timeout(timeoutMs);
    const agent = pinnedAgent(target);
    try {
      const response = await fetch(target.url, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
        redirect: 'manual',
        signal: AbortSignal.any([signal, timeout]),
        dispatcher: agent,
      } as RequestInit); // `dispatcher` is undici's extension of fetch; DOM typings (the console's tests) lack it
      const { text, truncated } = await readCapped(response, MAX_RESPONSE_BODY_BYTES);
      log(`${method} ${target.url.origin} → ${response.status}${truncated ? ' (body truncated)' : ''}`);
      return {
        status: response.status,
        headers: headersRecord(response.headers),
        body: text,
        ...(truncated ? { truncated: true as const } : {}),
      };
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (timeout.aborted) throw new Error(`${method} ${target.url.origin} timed out after ${timeoutMs} ms`);
      throw new Error(`${method} ${target.url.origin} failed: ${describeFetchError(error)}`, { cause: error });
    } finally {
      await agent.destroy().catch(() => undefined);
    }
  },
});

async function readCapped(response: Response, limit: number): Promise<{ text: string; truncated: boolean }> {
  if (!response.body) return { text: '', truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.byteLength > limit) {
      chunks.push(value.subarray(0, limit - size));
      size = limit;
      truncated = true;
      await reader.cancel().catch(() => undefined);
      break;
    }
    chunks.push(value);
    size += value.byteLength;
  }
  return { text: new TextDecoder().decode(Buffer.concat(chunks, size)), truncated };
}

function headersRecord(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [name, value] of headers) record[name] = name in record ? `${record[name]}, ${value}` : value;
  return record;
}

/** fetch reports network errors as "fetch failed" with the reason in `cause`. */
function describeFetchError(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' && !cause.message.includes(code) ? `${cause.message} (${code})` : cause.message;
  }
  return String(cause);
}
