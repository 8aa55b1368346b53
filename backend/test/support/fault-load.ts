import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { httpClient } from './http-client';

/**
 * Load for fault tests: a bounded, open-loop request loop at a fixed rate that records what every
 * request got (status, error code, latency), so a test can assert how the service answered while a
 * dependency was down, and which jobs it accepted. Open-loop (a tick sends whether or not earlier
 * requests answered), because a slow server must not slow the load down and hide its own latency.
 */

/** One request of the load: what the tick with this index sends. */
export interface LoadRequest {
  method: 'GET' | 'POST';
  /** Under the API's base URL, e.g. `/v1/jobs`. */
  path: string;
  body?: unknown;
}

export interface RequestLoadOptions {
  /** The API's base URL. */
  url: string;
  apiKey: string;
  perSecond: number;
  /** The request of each tick (`index` counts from 0); null skips the tick (nothing to ask yet). */
  request: (index: number) => LoadRequest | null;
  /** A request still unanswered after this counts as hung and is aborted. */
  hungAfterMs?: number;
  /** At most this many requests in flight; a tick beyond it is counted as `skipped`, not sent. */
  maxInFlight?: number;
}

export interface RequestOutcome {
  index: number;
  /** When it was sent, ms since the load started. */
  sentAtMs: number;
  latencyMs: number;
  /** `GET /v1/jobs/…`, `POST /v1/jobs`: the path with ids cut off. */
  route: string;
  /** The HTTP status, or `hung` (aborted after `hungAfterMs`) or `network` (no HTTP answer at all). */
  status: number | 'hung' | 'network';
  /** `error.code` of a 4xx/5xx body. */
  code?: string;
  /** The job id of a 202. */
  id?: string;
}

export interface LoadSummary {
  submitted: number;
  accepted: number;
  /** Count per answer: `202`, `503 service_unavailable`, `hung`, `network`… */
  statuses: Record<string, number>;
  /** Only the 5xx answers, per status and code. */
  status5xx: Record<string, number>;
  maxLatencyMs: number;
  /** Median and slowest latency per answer label, ms. */
  latencyMs: Record<string, { p50: number; max: number }>;
  skipped: number;
}

export class RequestLoad {
  readonly outcomes: RequestOutcome[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private sent = 0;
  private skipped = 0;

  constructor(private readonly options: RequestLoadOptions) {}

  /** Starts sending; the load runs until `stop`. */
  start(): this {
    this.startedAt = Date.now();
    const intervalMs = 1000 / this.options.perSecond;
    // Ticks are paced against the clock, not counted per interval, so timer drift does not lower the rate.
    this.timer = setInterval(
      () => {
        const due = Math.floor((Date.now() - this.startedAt) / intervalMs) + 1;
        while (this.sent < due) this.send(this.sent++);
      },
      Math.max(5, intervalMs / 2),
    );
    return this;
  }

  /** Ms since `start`. */
  elapsedMs(): number {
    return Date.now() - this.startedAt;
  }

  /** Stops sending and waits for every request in flight to answer (or to be counted as hung). */
  async stop(): Promise<LoadSummary> {
    clearInterval(this.timer);
    await Promise.all([...this.inFlight]);
    return this.summary();
  }

  /** Ids of the jobs answered 202, in submission order. */
  acceptedIds(): string[] {
    return this.outcomes
      .filter((outcome) => outcome.status === 202 && outcome.id)
      .sort((a, b) => a.index - b.index)
      .map((outcome) => outcome.id!);
  }

  summary(): LoadSummary {
    const statuses: Record<string, number> = {};
    const status5xx: Record<string, number> = {};
    const latencies: Record<string, number[]> = {};
    for (const outcome of this.outcomes) {
      const label = outcome.code ? `${outcome.status} ${outcome.code}` : String(outcome.status);
      statuses[label] = (statuses[label] ?? 0) + 1;
      if (typeof outcome.status === 'number' && outcome.status >= 500) status5xx[label] = (status5xx[label] ?? 0) + 1;
      (latencies[label] ??= []).push(outcome.latencyMs);
    }
    const latencyMs = Object.fromEntries(
      Object.entries(latencies).map(([label, values]) => {
        const sorted = values.sort((a, b) => a - b);
        return [label, { p50: sorted[Math.floor(sorted.length / 2)]!, max: sorted.at(-1)! }];
      }),
    );
    return {
      submitted: this.outcomes.length,
      accepted: this.acceptedIds().length,
      statuses,
      status5xx,
      maxLatencyMs: Math.max(0, ...this.outcomes.map((outcome) => outcome.latencyMs)),
      latencyMs,
      skipped: this.skipped,
    };
  }

  private send(index: number): void {
    if (this.inFlight.size >= (this.options.maxInFlight ?? 1_000)) {
      this.skipped++;
      return;
    }
    const request = this.options.request(index);
    if (!request) return;
    const sending = this.fetch(index, request).finally(() => this.inFlight.delete(sending));
    this.inFlight.add(sending);
  }

  private async fetch(index: number, { method, path, body }: LoadRequest): Promise<void> {
    const sentAt = Date.now();
    const outcome: RequestOutcome = {
      index,
      sentAtMs: sentAt - this.startedAt,
      latencyMs: 0,
      route: `${method} ${path.replace(/\/[0-9A-Z]{26}(?=\/|$)/g, '/{id}')}`,
      status: 'network',
    };
    try {
      const response = await fetch(`${this.options.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.options.apiKey}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.options.hungAfterMs ?? 10_000),
      });
      const answer = (await response.json().catch(() => null)) as { id?: string; error?: { code?: string } } | null;
      outcome.status = response.status;
      if (answer?.error?.code) outcome.code = answer.error.code;
      if (response.status === 202 && answer?.id) outcome.id = answer.id;
    } catch (error) {
      outcome.status = (error as Error).name === 'TimeoutError' ? 'hung' : 'network';
      // Why there was no answer (ECONNREFUSED, ECONNRESET…), so a figure can tell a dead server from a bug here.
      if (outcome.status === 'network')
        outcome.code = (error as Error & { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    }
    outcome.latencyMs = Date.now() - sentAt;
    this.outcomes.push(outcome);
  }
}

/** The 5xx answers other than `503 service_unavailable` (the one way to say a dependency is away). */
export const unexpected5xx = (summary: LoadSummary): string[] =>
  Object.keys(summary.status5xx).filter((label) => label !== '503 service_unavailable');

/** A load of `POST /v1/jobs` with `job(index)` as the body. */
export function submitLoad(
  options: Omit<RequestLoadOptions, 'request'> & { job: (index: number) => unknown },
): RequestLoad {
  const { job, ...rest } = options;
  return new RequestLoad({ ...rest, request: (index) => ({ method: 'POST', path: '/v1/jobs', body: job(index) }) });
}

/** Polls `url` until it answers 200; resolves the ms it took, or rejects after `timeoutMs`. */
export async function msUntilReady(url: string, timeoutMs = 30_000): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const status = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) }).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url}/readyz did not answer 200 within ${timeoutMs} ms`);
}

/**
 * The jobs among `ids` that REST does not (yet) show with status `status`, asked `concurrency` at a
 * time: empty once they all do.
 */
export async function jobsNotIn(
  url: string,
  apiKey: string,
  ids: readonly string[],
  status: string,
  concurrency = 16,
): Promise<string[]> {
  const http = httpClient(url, apiKey);
  const missing: string[] = [];
  for (let start = 0; start < ids.length; start += concurrency) {
    const answers = await Promise.all(ids.slice(start, start + concurrency).map((id) => http.get(`/v1/jobs/${id}`)));
    answers.forEach((answer, offset) => {
      if (answer.status !== 200 || answer.body.status !== status) missing.push(ids[start + offset]!);
    });
  }
  return missing;
}

/** What REST says of each of `ids` (status, or the HTTP status when not 200): for failure figures. */
export async function jobStates(url: string, apiKey: string, ids: readonly string[]): Promise<Record<string, string>> {
  const http = httpClient(url, apiKey);
  const answers = await Promise.all(ids.map((id) => http.get(`/v1/jobs/${id}`)));
  return Object.fromEntries(
    answers.map((answer, index) => [ids[index]!, answer.status === 200 ? answer.body.status : `http ${answer.status}`]),
  );
}

/** Every job of the workspace that GET /v1/jobs lists, by id → status, paging to the end. */
export async function listedJobs(url: string, apiKey: string): Promise<Map<string, string>> {
  const http = httpClient(url, apiKey);
  const listed = new Map<string, string>();
  let cursor: string | null = null;
  do {
    const answer = await http.get(`/v1/jobs?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
    if (answer.status !== 200) throw new Error(`GET /v1/jobs answered ${answer.status} ${JSON.stringify(answer.body)}`);
    for (const job of answer.body.items as { id: string; status: string }[]) listed.set(job.id, job.status);
    cursor = answer.body.nextCursor as string | null;
  } while (cursor);
  return listed;
}

/** A fault test's own directory for the data of the services it kills and restarts; `remove` when done. */
export function faultDataDir(name: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `flightdeck-fault-${name}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** SIGKILLs a service process and waits until it is gone (its port closes with it). */
export async function killHard(pid: number, timeoutMs = 5_000): Promise<void> {
  process.kill(pid, 'SIGKILL');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`process ${pid} still there ${timeoutMs} ms after SIGKILL`);
}

/** Rate limits stay on (they count in Redis too), but high enough for a fault test's own load and polling. */
export const HIGH_RATE_LIMITS = { RATE_LIMIT_PER_CALLER: '100000', RATE_LIMIT_PER_IP: '100000' };
