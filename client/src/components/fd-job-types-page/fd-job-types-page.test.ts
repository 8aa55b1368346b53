import type { Page } from 'playwright-core';
import type { Fixture } from '../../../test/support/browser';
import type { FakeServer } from '../../../test/support/fake-server';
import { fixturePages } from '../../../test/support/fixture-pages';

let fixture: Fixture;

// The job types page of workspace "acme" over a scripted API; the test says who is looking
// (`window.setUp({ access })`) after scripting the answers.
const FIXTURE_SCRIPT = `
  import './components/fd-job-types-page/fd-job-types-page.component';
  import { appendOnSetUp, scriptedApi } from '../test/support/scripted-page';

  appendOnSetUp('fd-job-types-page', { workspace: 'acme' }, { api: scriptedApi('acme').api });
`;

const TYPES = [
  {
    name: 'demo.sleep',
    queue: 'demo',
    source: 'built-in',
    payloadSchema: { type: 'object', properties: { ms: { type: 'integer', minimum: 0 } }, required: ['ms'] },
    version: 1,
    defaults: {},
    registeredAt: null,
    workers: { count: 2, concurrency: 100 },
  },
  {
    name: 'email.render',
    queue: 'ws-01abc-emails',
    source: 'registered',
    payloadSchema: {
      type: 'object',
      properties: {
        to: { type: 'string' },
        subject: { type: 'string', maxLength: 20 },
        priority: { type: 'integer', minimum: 0, default: 1 },
      },
      required: ['to', 'subject'],
    },
    version: 3,
    defaults: { attempts: 3 },
    registeredAt: '2026-03-01T10:00:00.000Z',
    workers: {
      count: 1,
      concurrency: 5,
      instances: [
        {
          id: 'w-1',
          sdkVersion: '0.1.0',
          concurrency: 5,
          inFlight: 2,
          connectedAt: '2026-03-01T10:00:00.000Z',
          lastSeen: '2026-03-01T10:05:00.000Z',
        },
      ],
    },
  },
];

const JOB = { id: '01JOB', type: 'email.render', status: 'queued' };

const pages = fixturePages(FIXTURE_SCRIPT);

async function open(role: string, answers: FakeServer['answers'] = {}): Promise<Page> {
  fixture = await pages.openSetUp(
    { 'GET /v1/job-types': { status: 200, body: { types: TYPES } }, ...answers },
    { access: { kind: 'member', role } },
  );
  await fixture.page.getByRole('heading', { name: 'Job types', exact: true }).waitFor();
  return fixture.page;
}

const requests = () => fixture.page.evaluate(() => (window as unknown as { server: FakeServer }).server.requests);

describe('fd-job-types-page', () => {
  it('lists every type with its workers, and opens the workspace’s own first, with its queue and schema', async () => {
    const page = await open('member');
    const list = page.getByRole('list', { name: 'Job types' });
    await expect(list.getByRole('button').allTextContents()).resolves.toEqual([
      expect.stringMatching(/demo\.sleep\s*built-in\s*·\s*2 workers, 100 at once/),
      expect.stringMatching(/email\.render\s*yours, version 3\s*·\s*1 worker, 5 at once/),
    ]);
    await page.getByRole('heading', { name: 'email.render' }).waitFor();
    await page.getByText('ws-01abc-emails').waitFor();
    await page.getByText('3 attempts').waitFor();
    const workers = page.getByRole('table', { name: 'Workers serving email.render' });
    await expect(workers.getByRole('row').nth(1).textContent()).resolves.toMatch(/w-1\s*0\.1\.0\s*2 of 5/);
    await page.getByRole('button', { name: 'demo.sleep' }).click();
    await page.getByRole('heading', { name: 'demo.sleep' }).waitFor();
    await page.getByLabel('ms (required)').waitFor();
  });

  it('submits a payload made from the form, with defaults left to the type, and links the job', async () => {
    const page = await open('member', { 'POST /v1/jobs': { status: 202, body: JOB } });
    await page.getByLabel('to (required)').fill('ada@example.test');
    await page.getByLabel('subject (required)').fill('Hello');
    await expect(page.getByLabel('priority').inputValue()).resolves.toBe('1');
    await page.getByLabel('priority').fill('');
    await page.getByRole('button', { name: 'Submit email.render' }).click();
    await page.getByRole('link', { name: '01JOB' }).waitFor();
    await expect(page.getByRole('link', { name: '01JOB' }).getAttribute('href')).resolves.toBe('/w/acme/jobs/01JOB');
    const posted = (await requests()).filter((request) => request.method === 'POST');
    expect(posted.map((request) => request.body)).toEqual([
      { type: 'email.render', payload: { to: 'ada@example.test', subject: 'Hello' } },
    ]);
  });

  it('names the wrong fields itself, and beside the field the API names', async () => {
    const page = await open('member', {
      'POST /v1/jobs': {
        status: 422,
        body: {
          error: {
            code: 'invalid_payload',
            message: 'invalid payload',
            issues: [{ path: 'payload.to', message: 'must match format "email"' }],
          },
        },
      },
    });
    await page.getByRole('button', { name: 'Submit email.render' }).click();
    await page.getByText('Required.').first().waitFor();
    await expect(page.getByText('Required.').count()).resolves.toBe(2);
    expect((await requests()).filter((request) => request.method === 'POST')).toEqual([]);

    await page.getByLabel('to (required)').fill('not-an-email');
    await page.getByLabel('subject (required)').fill('Hi');
    await page.getByRole('button', { name: 'Submit email.render' }).click();
    // Beside the field, and in the form's alert.
    await page.locator('#field-to-error', { hasText: 'must match format "email"' }).waitFor();
    await page.getByRole('alert').filter({ hasText: 'Not submitted' }).waitFor();
  });

  it('shows viewers the types without a submit form', async () => {
    const page = await open('viewer');
    await page.getByRole('heading', { name: 'email.render' }).waitFor();
    await expect(page.getByRole('button', { name: /^Submit/ }).count()).resolves.toBe(0);
  });
});
