/**
 * The ops view in a real browser against a real Flightdeck (in this process, on the test run's
 * Redis and FerretDB): live readings of the queues, gateways and workers, charts drawn from them and
 * from the workspace's events, pausing a queue, and draining one (on a phone-sized screen). Needs the
 * built console (client/dist).
 *
 * FLIGHTDECK_SCREENSHOTS=1 also writes docs/screenshots/ops-view-{desktop,phone}.png, after a burst
 * of demo.sleep jobs so that the charts have something to show.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { Person } from '../../backend/test/support/flightdeck-harness';
import { consoleE2e, DESKTOP, PHONE, SCREENSHOTS_DIR } from '../test/support/console-e2e';

const e2e = consoleE2e();

/** Signs `person` in, in a fresh browser profile, and opens their workspace's ops view from its tab. */
async function openOps(person: Person, slug = person.slug, viewport = DESKTOP) {
  const { page, problems } = await e2e.openAs(person, `/w/${slug}`, viewport);
  await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Ops' }).click();
  await page.getByRole('heading', { name: 'Operations' }).waitFor();
  expect(new URL(page.url()).pathname).toBe(`/w/${slug}/ops`);
  return { page, problems };
}

const chart = (page: Page, heading: string) =>
  page.locator('fd-ops-chart', { has: page.getByRole('heading', { name: heading, exact: true }) });

async function submit(person: Person, jobs: Record<string, unknown>[]): Promise<string[]> {
  const answer = await person.http.post('/v1/jobs/batch', { jobs });
  expect(answer.status).toBe(202);
  return answer.body.jobs.map((job: { id: string }) => job.id);
}

/** The narrowest screen the console supports. */
const NARROW = { width: 360, height: 740 };

const sleep = (ms: number, extra: Record<string, unknown> = {}) => ({
  type: 'demo.sleep',
  payload: { ms, steps: 2, ...extra },
});

describe('the ops view', () => {
  it('follows queues, jobs and workers live, and lets an operator admin pause and resume a queue', async () => {
    // Queues are the deployment's: admins of the operator workspace ("default") pause them.
    const olga = await e2e.app.signup('Olga Operator');
    expect((await e2e.app.http.post('/v1/members', { email: olga.user.email, role: 'admin' })).status).toBe(201);
    const operating = { ...olga, http: olga.in('default') };
    const { page, problems } = await openOps(operating, 'default');
    await expect(page.title()).resolves.toMatch(/^Operations · /);

    await submit(operating, [sleep(300), sleep(400), sleep(200, { fail: true }), sleep(500)]);
    await chart(page, 'Throughput').locator('canvas').first().waitFor({ timeout: 15_000 });
    await chart(page, 'Failures')
      .getByText(/failures per minute; 25 % of the jobs that finished\./)
      .waitFor({ timeout: 15_000 });
    await chart(page, 'Latency, submit to start')
      .getByText(/^Over the last minute: half the jobs started within/)
      .waitFor();
    // This process is a gateway (with this page's socket) and a worker.
    await chart(page, 'Gateway connections')
      .getByText(/open connections? on 1 gateway\./)
      .waitFor({ timeout: 15_000 });
    await chart(page, 'Worker replicas')
      .getByText(/; 1 running/)
      .waitFor();

    // Pause: new jobs wait, and the view says so.
    const demo = page.locator('tr[data-queue="demo"]');
    await page.getByRole('button', { name: 'Pause queue demo' }).click();
    await page.getByRole('dialog', { name: 'Pause queue demo?' }).getByRole('button', { name: 'Pause queue' }).click();
    await page.getByRole('status').getByText('Paused queue demo.').waitFor();
    await expect(demo.textContent()).resolves.toContain('Paused');
    expect(
      (await operating.http.get('/v1/ops')).body.queues.find((queue: { name: string }) => queue.name === 'demo'),
    ).toMatchObject({
      paused: true,
    });
    const [waiting] = await submit(operating, [sleep(100)]);
    await chart(page, 'Queue depth')
      .getByText('Now 1 queued, 0 delayed, 0 active; paused: demo.')
      .waitFor({ timeout: 10_000 });

    await page.getByRole('button', { name: 'Resume queue demo' }).click();
    await page.getByRole('status').getByText('Resumed queue demo.').waitFor();
    await chart(page, 'Queue depth').getByText('Now 0 queued, 0 delayed, 0 active.').waitFor({ timeout: 10_000 });
    // The job's final event may trail BullMQ's counts by a group commit.
    let status: string | undefined;
    for (let tries = 0; tries < 50 && status !== 'completed'; tries++) {
      status = (await operating.http.get(`/v1/jobs/${waiting}`)).body.status;
      if (status !== 'completed') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe('completed');
    expect(problems).toEqual([]);
  });

  it("lets an operator admin drain a paused queue on a phone: every workspace's waiting jobs cancelled, a toast with the count", async () => {
    const signedUp = await e2e.app.signup('Dora Drainer');
    expect((await e2e.app.http.post('/v1/members', { email: signedUp.user.email, role: 'admin' })).status).toBe(201);
    const dora = { ...signedUp, http: signedUp.in('default') };
    // Another workspace's jobs wait in the same queue.
    const tenant = await e2e.app.signup('Tess Tenant');
    const { page, problems } = await openOps(dora, 'default', NARROW);
    expect((await dora.http.post('/v1/queues/demo/pause')).status).toBe(200);
    const mine = await submit(dora, [sleep(100), sleep(100), { ...sleep(100), delayMs: 600_000 }]);
    const theirs = await submit(tenant, [
      sleep(100),
      { ...sleep(100), priority: 3 },
      { ...sleep(100), delayMs: 600_000 },
    ]);

    const demo = page.locator('tr[data-queue="demo"]');
    await demo.getByText('Queued: 4').waitFor({ timeout: 10_000 });
    await demo.getByText('Delayed: 2').waitFor();
    await page.getByRole('button', { name: 'Drain queue demo' }).click();
    const dialog = page.getByRole('dialog', { name: 'Drain queue demo?' });
    await dialog.getByText('“demo” holds 4 queued jobs and 2 delayed ones.', { exact: false }).waitFor();
    await dialog.getByText('for every workspace of this deployment', { exact: false }).waitFor();
    await expect(dialog.getByRole('checkbox', { name: 'Also cancel delayed jobs (2 now)' }).isChecked()).resolves.toBe(
      true,
    );
    // The dialog fits the narrow screen.
    const box = await dialog.boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(NARROW.width);
    await dialog.getByRole('button', { name: 'Drain queue' }).click();

    await page
      .getByRole('list', { name: 'Notifications' })
      .getByText('Drained queue demo: 6 jobs cancelled.')
      .waitFor({ timeout: 15_000 });
    await demo.getByText('Queued: 0').waitFor();
    await demo.getByText('Delayed: 0').waitFor();
    await expect(demo.textContent()).resolves.toContain('Paused');
    await chart(page, 'Queue depth')
      .getByText('Now 0 queued, 0 delayed, 0 active; paused: demo.')
      .waitFor({ timeout: 10_000 });
    for (const id of mine) expect((await dora.http.get(`/v1/jobs/${id}`)).body.status).toBe('cancelled');
    for (const id of theirs) {
      const job = await tenant.http.get(`/v1/jobs/${id}`);
      expect(job.body.status).toBe('cancelled');
    }
    const activity = await tenant.http.get(`/v1/jobs/${theirs[0]}/activity`);
    expect(activity.body.items).toContainEqual(
      expect.objectContaining({ action: 'cancelled', actor: expect.objectContaining({ name: 'Dora Drainer' }) }),
    );
    // Nothing is wider than the screen.
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(NARROW.width);

    await page.getByRole('button', { name: 'Resume queue demo' }).click();
    await page.getByRole('status').getByText('Resumed queue demo.').waitFor();
    expect(problems).toEqual([]);
  });

  it('shows viewers the charts and the queues, without pause, resume or drain', async () => {
    const vic = await e2e.app.signup('Vic Viewer');
    expect((await e2e.app.http.post('/v1/members', { email: vic.user.email, role: 'viewer' })).status).toBe(201);
    const { page, problems } = await openOps(vic, 'default');
    await page.locator('tr[data-queue="demo"]').waitFor({ timeout: 10_000 });
    await chart(page, 'Queue depth').locator('canvas').first().waitFor({ timeout: 10_000 });
    await page.getByText('Only admins and owners can pause, resume and drain queues.').waitFor();
    await expect(page.getByRole('button', { name: /^(Pause|Resume|Drain) queue/ }).count()).resolves.toBe(0);
    expect(problems).toEqual([]);
  });

  it("shows an owner of an ordinary workspace that the shared queues are the operators' to pause and drain", async () => {
    const owen = await e2e.app.signup('Owen Owner');
    const { page, problems } = await openOps(owen);
    await page
      .getByText(/admins of the operator workspace \(default\) pause, resume and drain them/)
      .waitFor({ timeout: 10_000 });
    await expect(page.getByRole('button', { name: /^(Pause|Resume|Drain) queue/ }).count()).resolves.toBe(0);
    expect(problems).toEqual([]);
  });

  (process.env.FLIGHTDECK_SCREENSHOTS === '1' ? it : it.skip)(
    'writes screenshots of the ops view with a burst of jobs (desktop and phone) to docs/screenshots',
    async () => {
      mkdirSync(SCREENSHOTS_DIR, { recursive: true });
      // An operator (admin of "default"), so the queue table shows its pause buttons.
      const signedUp = await e2e.app.signup('Ada Lovelace');
      expect((await e2e.app.http.post('/v1/members', { email: signedUp.user.email, role: 'admin' })).status).toBe(201);
      const ada = { ...signedUp, http: signedUp.in('default') };
      const views = [await openOps(ada, 'default', DESKTOP), await openOps(ada, 'default', PHONE)];
      // Waves of jobs: more than one worker takes at once (50), some delayed, some failing.
      for (let wave = 0; wave < 4; wave++) {
        await submit(
          ada,
          Array.from({ length: 90 }, (_, index) => ({
            ...sleep(1_500 + ((index * 37) % 9) * 400, index % 9 === 4 ? { fail: true } : {}),
            ...(index % 15 === 0 ? { delayMs: 6_000 } : {}),
          })),
        );
        await new Promise((resolve) => setTimeout(resolve, wave < 3 ? 7_000 : 3_000));
      }
      // Taken while the last wave still drains: figures in the summaries, not only in the lines.
      for (const [index, name] of ['desktop', 'phone'].entries()) {
        const { page, problems } = views[index]!;
        await chart(page, 'Latency, submit to start').locator('canvas').first().waitFor();
        await page.mouse.move(0, 0);
        await page.screenshot({ path: path.join(SCREENSHOTS_DIR, `ops-view-${name}.png`), fullPage: true });
        expect(problems).toEqual([]);
      }
    },
    120_000,
  );
});
