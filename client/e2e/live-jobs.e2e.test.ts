/**
 * The console in a real browser against a real Flightdeck (in this process, on the test run's
 * Redis and FerretDB): it connects with `?key=`, shows jobs submitted anywhere as they move, and
 * submits jobs itself. Needs the built console (client/dist): `npm test` builds first.
 *
 * FLIGHTDECK_SCREENSHOTS=1 also writes docs/screenshots/console-{desktop,phone}.png.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { waitFor } from '../../backend/test/support/test-services';
import { consoleE2e, SCREENSHOTS_DIR } from '../test/support/console-e2e';

const e2e = consoleE2e();

/** A fresh browser profile (so a fresh sessionStorage) on the console, connected with the workspace's key. */
async function openConsole(viewport = { width: 1280, height: 800 }, colorScheme: 'light' | 'dark' = 'light') {
  const context = await e2e.newContext({ viewport, colorScheme });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  await page.goto(`${e2e.app.url}/?key=${encodeURIComponent(e2e.app.apiKey)}`);
  await page.getByRole('status', { name: /^Realtime connection: live/ }).waitFor({ timeout: 15_000 });
  return { page, problems };
}

const row = (page: Page, id: string) => page.locator(`fd-jobs-table tr[data-job-id="${id}"]`);

async function submitViaApi(payload: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<string> {
  const answer = await e2e.app.http.post('/v1/jobs', { type: 'demo.sleep', payload, ...extra });
  expect(answer.status).toBe(202);
  return answer.body.id as string;
}

describe('the console, live', () => {
  it('connects with ?key=, takes the key out of the address and shows a job submitted over REST until it completes', async () => {
    const { page, problems } = await openConsole();
    expect(new URL(page.url()).searchParams.has('key')).toBe(false);
    expect(await page.evaluate(() => sessionStorage.getItem('flightdeck.apiKey'))).toBe(e2e.app.apiKey);
    await page.getByText('No jobs yet').waitFor();
    // Anything that reloads the page would lose this.
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

    const id = await submitViaApi({ ms: 1_500, steps: 3 });

    const jobRow = row(page, id);
    await jobRow.waitFor({ timeout: 10_000 });
    await expect(jobRow.locator('.cell-type').textContent()).resolves.toBe('demo.sleep');
    await jobRow.and(page.locator('[data-status="active"]')).waitFor({ timeout: 10_000 });
    await jobRow.and(page.locator('[data-status="completed"]')).waitFor({ timeout: 15_000 });
    await expect(jobRow.locator('.badge').textContent()).resolves.toBe('completed');
    await expect(jobRow.getByRole('progressbar').getAttribute('aria-valuenow')).resolves.toBe('100');
    await expect(page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).resolves.toBe(true);
    expect(problems).toEqual([]);
  });

  it('submits a job through its form, announces it with a composed fd-job-submitted event and shows its row', async () => {
    const { page, problems } = await openConsole();
    await page.evaluate(() => {
      document.addEventListener('fd-job-submitted', (event) => {
        (window as unknown as { submitted: string }).submitted = event.detail.job.id;
      });
    });

    // An out-of-range duration is refused before anything is sent.
    const duration = page.getByLabel('Duration (ms)');
    await duration.fill('700000');
    await page.getByRole('button', { name: 'Submit job' }).click();
    await page.getByText('Duration must be between 0 and 600,000.').waitFor();
    await expect(duration.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.evaluate(() => (window as unknown as { submitted?: string }).submitted)).resolves.toBeUndefined();

    await duration.fill('400');
    await page.getByLabel('Steps').fill('2');
    await page.getByRole('button', { name: 'Submit job' }).click();
    const id = await page
      .waitForFunction(() => (window as unknown as { submitted?: string }).submitted)
      .then((handle) => handle.jsonValue());
    expect(id).toEqual(expect.any(String));
    await page.getByText(`Submitted job ${id!.slice(-8)}.`).waitFor();

    await row(page, id!).and(page.locator('[data-status="completed"]')).waitFor({ timeout: 15_000 });
    const stored = await e2e.app.http.get(`/v1/jobs/${id}`);
    expect(stored.body).toMatchObject({ type: 'demo.sleep', payload: { ms: 400, steps: 2, fail: false } });
    expect(problems).toEqual([]);
  });

  it('catches up without a reload after its connection drops: the jobs that moved meanwhile are shown as they are now', async () => {
    const context = await e2e.newContext();
    // Lets the test cut the page's WebSockets and keep new ones from connecting, like a network outage.
    await context.addInitScript(() => {
      const NativeWebSocket = window.WebSocket;
      const open: WebSocket[] = [];
      const gate = { blocked: false, open };
      (window as unknown as { wsGate: typeof gate }).wsGate = gate;
      window.WebSocket = class extends NativeWebSocket {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(gate.blocked ? 'ws://127.0.0.1:9/' : url, protocols);
          open.push(this);
        }
      };
    });
    const page = await context.newPage();
    await page.goto(`${e2e.app.url}/?key=${encodeURIComponent(e2e.app.apiKey)}`);
    const live = page.getByRole('status', { name: /^Realtime connection: live/ });
    await live.waitFor({ timeout: 15_000 });
    const before = await submitViaApi({ ms: 3_000, steps: 3 });
    await row(page, before).and(page.locator('[data-status="active"]')).waitFor({ timeout: 10_000 });
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

    await page.evaluate(() => {
      const gate = (window as unknown as { wsGate: { blocked: boolean; open: WebSocket[] } }).wsGate;
      gate.blocked = true;
      for (const socket of gate.open) socket.close();
    });
    await page.getByRole('status', { name: /^Realtime connection: reconnecting/ }).waitFor({ timeout: 10_000 });

    // While the page is cut off: the running job ends, a new one runs and ends.
    const during = await submitViaApi({ ms: 100 });
    for (const id of [before, during]) {
      await waitFor(
        `job ${id} to complete`,
        async () => (await e2e.app.http.get(`/v1/jobs/${id}`)).body.status === 'completed',
      );
    }
    await expect(row(page, during).count()).resolves.toBe(0);

    await page.evaluate(() => ((window as unknown as { wsGate: { blocked: boolean } }).wsGate.blocked = false));
    await live.waitFor({ timeout: 15_000 });
    await row(page, before).and(page.locator('[data-status="completed"]')).waitFor({ timeout: 10_000 });
    await row(page, during).and(page.locator('[data-status="completed"]')).waitFor({ timeout: 10_000 });
    await expect(page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).resolves.toBe(true);
  });

  it('asks for another key when the server refuses the one it was given', async () => {
    const context = await e2e.newContext();
    const page = await context.newPage();
    await page.goto(`${e2e.app.url}/?key=fd_not_a_real_key`);
    await page
      .getByRole('alert')
      .getByText(/That API key was refused/)
      .waitFor({ timeout: 15_000 });
    await expect(page.getByLabel('API key').isVisible()).resolves.toBe(true);
    await expect(page.evaluate(() => sessionStorage.getItem('flightdeck.apiKey'))).resolves.toBeNull();
  });

  (process.env.FLIGHTDECK_SCREENSHOTS === '1' ? it : it.skip)(
    'writes screenshots of the console (desktop and phone) to docs/screenshots',
    async () => {
      mkdirSync(SCREENSHOTS_DIR, { recursive: true });
      // A workspace with one job in every interesting state.
      const done = await submitViaApi({ ms: 200, steps: 2 });
      const failed = await submitViaApi({ ms: 300, steps: 3, fail: true });
      await submitViaApi({ ms: 1_000 }, { delayMs: 3_600_000 });
      const long = await submitViaApi({ ms: 16_000, steps: 32 });
      const longer = await submitViaApi({ ms: 24_000, steps: 48 });

      for (const [name, viewport] of [
        ['desktop', { width: 1280, height: 800 }],
        ['phone', { width: 390, height: 844 }],
      ] as const) {
        const { page } = await openConsole(viewport);
        await row(page, done).and(page.locator('[data-status="completed"]')).waitFor({ timeout: 15_000 });
        await row(page, failed).and(page.locator('[data-status="failed"]')).waitFor({ timeout: 15_000 });
        await row(page, long).and(page.locator('[data-status="active"]')).waitFor({ timeout: 15_000 });
        await row(page, longer).and(page.locator('[data-status="active"]')).waitFor({ timeout: 15_000 });
        // Let the progress bars fill a little.
        await page.waitForTimeout(2_500);
        await page.screenshot({ path: path.join(SCREENSHOTS_DIR, `console-${name}.png`) });
      }
      // Shutting down waits for running jobs: end them now.
      for (const id of [long, longer]) expect((await e2e.app.http.post(`/v1/jobs/${id}/cancel`)).status).toBe(200);
    },
    60_000,
  );
});
