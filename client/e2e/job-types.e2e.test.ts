/**
 * A workspace's own job types in the console (issue 13), in a real browser against a real
 * Flightdeck (in this process, on the test run's Redis and FerretDB) with the examples/ project's
 * worker as a separate process: a job of its type submitted over REST shows live until it completes,
 * and the Job types page shows the type, its one worker, and submits a job from the schema's form.
 * Needs the built console and SDK (`npm run build`).
 */
import { createApiKey, generateApiKey } from '../../backend/src/accounts/api-keys';
import { ExampleWorker, killAllExampleWorkers } from '../../backend/test/support/example-worker';
import { consoleE2e } from '../test/support/console-e2e';

const e2e = consoleE2e({ REMOTE_WORKER_GRACE_MS: '500' });

afterAll(() => killAllExampleWorkers());

async function openConsole(path = '/') {
  const context = await e2e.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(`${e2e.app.url}${path}?key=${encodeURIComponent(e2e.app.apiKey)}`);
  await page.getByRole('status', { name: /^Realtime connection: live/ }).waitFor({ timeout: 15_000 });
  return { page, problems };
}

it('shows a job of a registered type live, and the Job types page shows the type and its worker', async () => {
  const workerKey = generateApiKey();
  await createApiKey({ workspaceId: e2e.app.workspaceId, name: 'example', key: workerKey, scopes: ['workers:run'] });
  const worker = await ExampleWorker.start(e2e.app.url, workerKey, 5);
  expect(worker.lines[0]).toMatchObject({ event: 'ready' });

  const { page, problems } = await openConsole();
  const submitted = await e2e.app.http.post('/v1/jobs', {
    type: 'example.report-render',
    payload: { title: 'Live', pages: 4, msPerPage: 400 },
  });
  expect(submitted.status).toBe(202);
  const row = page.locator(`fd-jobs-table tr[data-job-id="${submitted.body.id}"]`);
  await row.waitFor({ timeout: 10_000 });
  await expect(row.locator('.cell-type').textContent()).resolves.toBe('example.report-render');
  await row.and(page.locator('[data-status="active"]')).waitFor({ timeout: 10_000 });
  await row.and(page.locator('[data-status="completed"]')).waitFor({ timeout: 15_000 });

  await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Job types' }).click();
  await page.getByRole('heading', { name: 'Job types', exact: true }).waitFor();
  const entry = page.getByRole('button', { name: /example\.report-render/ });
  await expect(entry.textContent()).resolves.toMatch(/yours, version 1\s*·\s*1 worker, 5 at once/);
  await entry.click();
  await page.getByRole('heading', { name: 'example.report-render' }).waitFor();
  const workers = page.getByRole('table', { name: 'Workers serving example.report-render' });
  await expect(workers.getByRole('row').count()).resolves.toBe(2);

  await page.getByLabel('title (required)').fill('From the form');
  await page.getByLabel('msPerPage').fill('10');
  await page.getByRole('button', { name: 'Submit example.report-render' }).click();
  const link = page.getByRole('link', { name: /^01/ });
  await link.waitFor();
  const jobId = (await link.textContent())!.trim();
  expect(worker.started()).toEqual(expect.arrayContaining([submitted.body.id]));
  const done = await e2e.app.http.get(`/v1/jobs/${jobId}`);
  expect(done.body).toMatchObject({
    type: 'example.report-render',
    payload: { title: 'From the form', msPerPage: 10 },
  });
  expect(problems).toEqual([]);
});
