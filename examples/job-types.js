// The example's own job types: each a zod schema for its payload and a `run` function.
const { z } = require('zod');
const { defineJobType } = require('@flightdeck/sdk');

const sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });

/** Renders a report page by page: progress after each page, a log line for each. */
const reportRender = defineJobType({
  name: 'example.report-render',
  queue: 'reports',
  payload: z.strictObject({
    title: z.string().min(1).max(200),
    pages: z.number().int().min(1).max(100).default(3),
    msPerPage: z.number().int().min(0).max(10_000).default(100),
  }),
  result: z.strictObject({ title: z.string(), pages: z.number().int() }),
  defaults: { timeoutMs: 120_000 },
  async run({ title, pages, msPerPage }, { progress, log, signal }) {
    for (let page = 1; page <= pages; page++) {
      await sleep(msPerPage, signal);
      log(`rendered page ${page} of ${pages} of "${title}"`);
      progress((page / pages) * 100);
    }
    return { title, pages };
  },
});

/**
 * Calls a flaky upstream: fails its first `failures` attempts (a transient error, retried with
 * backoff), then succeeds. Safe to run twice: it only reads.
 */
const flakyFetch = defineJobType({
  name: 'example.flaky-fetch',
  payload: z.strictObject({ failures: z.number().int().min(0).max(10).default(1) }),
  result: z.strictObject({ attempt: z.number().int() }),
  defaults: { attempts: 3, backoff: { type: 'fixed', delayMs: 100 } },
  async run({ failures }, { attempt, log }) {
    if (attempt <= failures) {
      log(`attempt ${attempt}: upstream answered 503`);
      throw new Error(`upstream unavailable (attempt ${attempt})`);
    }
    log(`attempt ${attempt}: upstream answered 200`);
    return { attempt };
  },
});

module.exports = { reportRender, flakyFetch };
