import autocannon from 'autocannon';
import { median, round } from './progress';

export interface HttpTarget {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface LoadResult {
  seconds: number;
  /** 2xx answers. */
  requests: number;
  requestsPerSecond: number;
  latencyMs: { mean: number; p50: number; p90: number; p99: number; max: number };
  non2xx: number;
  /** Connection errors, timeouts included. */
  errors: number;
}

/** Loads one endpoint from this process with autocannon: `connections` keep-alive connections for `seconds`. */
export async function loadEndpoint(target: HttpTarget, connections: number, seconds: number): Promise<LoadResult> {
  const result = await autocannon({
    url: target.url,
    method: 'POST',
    headers: target.headers,
    body: target.body,
    connections,
    pipelining: 1,
    duration: seconds,
    timeout: 10,
  });
  const ok = result['2xx'];
  return {
    seconds: round(result.duration, 3),
    requests: ok,
    requestsPerSecond: round(ok / result.duration, 1),
    latencyMs: {
      mean: round(result.latency.mean),
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
    },
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

export interface BatchResult {
  batches: number;
  jobsPerBatch: number;
  seconds: number;
  jobsPerSecond: number;
  batchMs: { p50: number; max: number };
}

/**
 * Sends `batches` requests one after another (one in flight) and checks each answer: 202 with one id
 * per job. Jobs per second over the whole sequence.
 */
export async function submitBatches(target: HttpTarget, batches: number, jobsPerBatch: number): Promise<BatchResult> {
  const durations: number[] = [];
  const startedAt = performance.now();
  for (let batch = 0; batch < batches; batch++) {
    const sentAt = performance.now();
    const response = await fetch(target.url, {
      method: 'POST',
      headers: target.headers,
      body: target.body,
      signal: AbortSignal.timeout(30_000),
    });
    const answer = (await response.json()) as { jobs?: unknown[] };
    if (response.status !== 202 || answer.jobs?.length !== jobsPerBatch) {
      throw new Error(`batch ${batch} to ${target.url} answered ${response.status}: ${JSON.stringify(answer)}`);
    }
    durations.push(performance.now() - sentAt);
  }
  const seconds = (performance.now() - startedAt) / 1000;
  return {
    batches,
    jobsPerBatch,
    seconds: round(seconds, 3),
    jobsPerSecond: round((batches * jobsPerBatch) / seconds, 1),
    batchMs: { p50: round(median(durations)), max: round(Math.max(...durations)) },
  };
}

/** Sends `count` requests one at a time, each expected to answer 2xx (for tracing, not measuring). */
export async function sendSequentially(target: HttpTarget, count: number): Promise<void> {
  for (let index = 0; index < count; index++) {
    const response = await fetch(target.url, {
      method: 'POST',
      headers: target.headers,
      body: target.body,
      signal: AbortSignal.timeout(10_000),
    });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${target.url} answered ${response.status}`);
  }
}

/**
 * One submit (`POST /v1/jobs`) or batch (`POST /v1/jobs/batch`) request, expected to answer 202;
 * returns the ids of the jobs it created, in order.
 */
export async function postJobs(target: HttpTarget, timeoutMs = 30_000): Promise<string[]> {
  const response = await fetch(target.url, {
    method: 'POST',
    headers: target.headers,
    body: target.body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  const answer = (await response.json()) as { id?: string; jobs?: { id: string }[] };
  const ids = answer.jobs ? answer.jobs.map((job) => job.id) : answer.id ? [answer.id] : [];
  if (response.status !== 202 || ids.length === 0) {
    throw new Error(`${target.url} answered ${response.status}: ${JSON.stringify(answer).slice(0, 300)}`);
  }
  return ids;
}
