/**
 * The ops view in a real browser against a real Flightdeck (in this process, on the test run's
 * Redis and FerretDB): live readings of the queues, gateways and workers, charts drawn from them and
 * from the workspace's events, and pausing a queue. Needs the built console (client/dist).
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
    expect((await operating.http.get(`/v1/jobs/${waiting}`)).body.status).toBe('completed');
    expect(problems).toEqual([]);
  });

  it('shows viewers the charts and the queues, without pause or resume', async () => {
    const vic = await e2e.app.signup('Vic Viewer');
    expect((await e2e.app.http.post('/v1/members', { email: vic.user.email, role: 'viewer' })).status).toBe(201);
    const { page, problems } = await openOps(vic, 'default');
    await page.locator('tr[data-queue="demo"]').waitFor({ timeout: 10_000 });
    await chart(page, 'Queue depth').locator('canvas').first().waitFor({ timeout: 10_000 });
    await page.getByText('Only admins and owners can pause and resume queues.').waitFor();
    await expect(page.getByRole('button', { name: /^(Pause|Resume) queue/ }).count()).resolves.toBe(0);
    expect(problems).toEqual([]);
  });

  it("shows an owner of an ordinary workspace that the shared queues are the operators' to pause", async () => {
    const owen = await e2e.app.signup('Owen Owner');
    const { page, problems } = await openOps(owen);
    await page
      .getByText(/admins of the operator workspace \(default\) pause and resume them/)
      .waitFor({ timeout: 10_000 });
    await expect(page.getByRole('button', { name: /^(Pause|Resume) queue/ }).count()).resolves.toBe(0);
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
