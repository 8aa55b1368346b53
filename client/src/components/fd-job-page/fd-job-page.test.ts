import type { ActivityEntry, Comment, Job, MemberRole, PresenceSnapshot, StreamEvent } from '@flightdeck/contract';
import type { Page } from 'playwright-core';
import type { Fixture } from '../../../test/support/browser';
import { fixturePages } from '../../../test/support/fixture-pages';
import type { FakeAnswer, FakeServer } from '../../../test/support/fake-server';
import { answer } from '../../../test/support/fake-server';
import { buildJob } from '../../../test/support/job-factory';

// fd-job-page with the real ApiClient over a scripted fetch, and the real RealtimeClient over a fake
// gateway socket (the test plays the gateway: events, presence, typing). Against a real Flightdeck,
// with two people: client/e2e/job-page.e2e.test.ts.
let fixture: Fixture | undefined;

const FIXTURE_SCRIPT = `
  import './components/fd-job-page/fd-job-page.component';
  import { memberAccess } from './accounts/workspace-access';
  import { ApiClient } from './api/api-client';
  import { RealtimeClient, type RealtimeSocket } from './realtime/realtime-client';
  import { FakeGatewaySocket } from '../test/support/fake-gateway';
  import { fakeServer } from '../test/support/fake-server';

  const page = window as unknown as Record<string, unknown>;
  const server = fakeServer();
  const gateway = new FakeGatewaySocket();
  page.server = server;
  page.gateway = gateway;
  // The toasts the page asks fd-app for.
  const toasts: string[] = [];
  page.toasts = toasts;
  document.addEventListener('fd-toast', (event) => toasts.push(event.detail.message));
  page.start = (answers: Record<string, never>, options: { jobId: string; role: string | null; self: string; members: never[] }) => {
    server.answers = answers;
    gateway.members = options.members;
    const api = new ApiClient({ workspace: 'payments', fetch: server.fetch });
    const realtime = new RealtimeClient({ workspace: 'payments', api, connect: () => gateway as unknown as RealtimeSocket });
    realtime.presence.look(options.jobId);
    realtime.start();
    gateway.open();
    const element = document.createElement('fd-job-page');
    element.api = api;
    element.realtime = realtime;
    element.access = options.role ? memberAccess(options.role as never) : null;
    element.jobId = options.jobId;
    element.workspace = 'payments';
    element.currentUserId = options.self;
    document.body.append(element);
  };
`;

const ADA = { type: 'user' as const, id: 'u_ada', name: 'Ada Lovelace' };
const BOB = { type: 'user' as const, id: 'u_bob', name: 'Bob Builder' };
const AT = '2026-03-01T10:00:00.000Z';

interface Scenario {
  job: Job;
  logs?: string[];
  comments?: Comment[];
  activity?: ActivityEntry[];
  role?: MemberRole | null;
  members?: PresenceSnapshot['members'];
  extra?: FakeServer['answers'];
}

function answersFor({ job, logs = [], comments = [], activity, extra = {} }: Scenario): FakeServer['answers'] {
  const path = `/v1/jobs/${job.id}`;
  return {
    'GET /v1/jobs?limit=100': answer.ok({ items: [job], nextCursor: null }),
    [`GET ${path}`]: answer.ok(job),
    [`GET ${path}/logs?limit=500`]: answer.ok({
      items: logs.map((line, index) => ({ seq: index + 1, line, at: AT })),
      nextCursor: null,
    }),
    [`GET ${path}/comments?limit=200`]: answer.ok({ items: comments, nextCursor: null }),
    [`GET ${path}/activity`]: answer.ok({
      items: activity ?? [
        { id: `${job.id}:created`, action: 'created', actor: null, at: job.createdAt, details: { type: job.type } },
      ],
    }),
    ...extra,
  };
}

const pages = fixturePages(FIXTURE_SCRIPT);

async function open(scenario: Scenario, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  fixture = await pages.open({ colorScheme });
  await fixture.page.evaluate(
    ([answers, options]) => (window as unknown as { start: (a: unknown, o: unknown) => void }).start(answers, options),
    [
      answersFor(scenario),
      {
        jobId: scenario.job.id,
        role: scenario.role === undefined ? 'member' : scenario.role,
        self: ADA.id,
        members: scenario.members ?? [],
      },
    ] as const,
  );
  return fixture.page;
}

type Gateway = {
  send(...events: Partial<StreamEvent>[]): void;
  presence(members: PresenceSnapshot['members']): void;
  typing(notice: { jobId: string; user: { id: string; name: string } }): void;
  sent: { name: string; payload: unknown }[];
  members: PresenceSnapshot['members'];
};
const sentToGateway = (page: Page, name: string) =>
  page.evaluate(
    (wanted) => (window as unknown as { gateway: Gateway }).gateway.sent.filter((message) => message.name === wanted),
    name,
  );
const send = (page: Page, ...events: Partial<StreamEvent>[]) =>
  page.evaluate((list) => (window as unknown as { gateway: Gateway }).gateway.send(...list), events);
/** A `job.log` event of a running job (at the next seq unless given one). */
const logEvent = (job: Job, lines: string[], seq?: number): Partial<StreamEvent> => ({
  ...(seq === undefined ? {} : { seq }),
  type: 'job.log',
  jobId: job.id,
  job: { id: job.id, status: 'active' },
  lines,
});
/** Waits until the page asked for a toast saying `message`. */
const toasted = (page: Page, message: string) =>
  page.waitForFunction((text) => (window as unknown as { toasts: string[] }).toasts.includes(text), message);
const requests = () => fixture!.page.evaluate(() => (window as unknown as { server: FakeServer }).server.requests);
const rescript = (page: Page, key: string, value: FakeAnswer) =>
  page.evaluate(([path, scripted]) => ((window as unknown as { server: FakeServer }).server.answers[path] = scripted), [
    key,
    value,
  ] as const);

describe('fd-job-page', () => {
  it('shows the job: type, id, status, progress, facts, logs, payload, result, comments and activity', async () => {
    const job = buildJob({
      status: 'completed',
      progress: 100,
      attemptsMade: 1,
      result: { slept: 1200 },
      payload: { ms: 1200, steps: 3 },
      startedAt: '2026-01-01T00:00:02.000Z',
      finishedAt: '2026-01-01T00:00:03.200Z',
    });
    const page = await open({
      job,
      logs: ['slept 1200 ms in 3 step(s)'],
      comments: [{ id: 'c1', jobId: job.id, body: 'looks fine', author: BOB, createdAt: AT }],
      activity: [
        { id: `${job.id}:created`, action: 'created', actor: null, at: job.createdAt, details: {} },
        { id: `${job.id}:2`, action: 'started', actor: null, at: '2026-01-01T00:00:02.000Z', details: { attempt: 1 } },
        {
          id: `${job.id}:3`,
          action: 'completed',
          actor: null,
          at: '2026-01-01T00:00:03.200Z',
          details: { attempt: 1 },
        },
        { id: 'a_claim', action: 'claimed', actor: BOB, at: '2026-01-01T00:00:04.000Z', details: {} },
      ],
    });
    await page.getByRole('heading', { name: 'demo.sleep', level: 2 }).waitFor();
    await expect(page.locator('.badge[data-status]').textContent()).resolves.toBe('completed');
    await expect(page.getByText(job.id, { exact: true }).count()).resolves.toBe(1);
    await expect(page.getByRole('progressbar', { name: 'Progress' }).getAttribute('aria-valuenow')).resolves.toBe(
      '100',
    );
    await expect(page.locator('.fact', { hasText: 'Took' }).locator('dd').textContent()).resolves.toBe('1.2 s');

    const log = page.getByRole('log', { name: 'Logs' });
    await log.getByText('slept 1200 ms in 3 step(s)').waitFor();
    await expect(log.getAttribute('aria-live')).resolves.toBe('polite');
    await expect(page.getByRole('region', { name: 'Payload' }).locator('pre').textContent()).resolves.toBe(
      '{\n  "ms": 1200,\n  "steps": 3\n}',
    );
    await expect(page.getByRole('region', { name: 'Result' }).locator('pre').textContent()).resolves.toContain(
      '"slept": 1200',
    );
    await page.getByRole('list', { name: 'Comments, oldest first' }).getByText('looks fine').waitFor();
    const activity = page.getByRole('list', { name: 'Activity, oldest first' });
    await activity.getByText('Claimed by Bob Builder').waitFor();
    await expect(page.getByRole('list', { name: 'Attempts' }).getByRole('listitem').textContent()).resolves.toMatch(
      /#1\s*completed\s*1\.2 s/,
    );
    // A completed job offers nothing to cancel or retry.
    await expect(page.getByRole('button', { name: 'Retry' }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Cancel job' }).count()).resolves.toBe(0);
    expect(fixture!.problems).toEqual([]);
  });

  it('follows the job live: status, progress, log lines and the result as events arrive', async () => {
    const job = buildJob({ status: 'queued' });
    const page = await open({ job });
    await page.getByRole('heading', { name: 'demo.sleep' }).waitFor();
    await page.getByText('No log lines yet.', { exact: false }).waitFor();
    const header = await page.locator('.job-header').boundingBox();
    // While loading, the header holds the same room.
    const loading = await page.locator('fd-job-page').evaluate(async (element) => {
      const page = element as unknown as { job: unknown; jobLoad: string; updateComplete: Promise<unknown> };
      const [job, load] = [page.job, page.jobLoad];
      page.job = null;
      page.jobLoad = 'loading';
      await page.updateComplete;
      const height = element.shadowRoot!.querySelector('.job-header')!.getBoundingClientRect().height;
      page.job = job;
      page.jobLoad = load;
      await page.updateComplete;
      return height;
    });
    expect(Math.abs(loading - header!.height)).toBeLessThanOrEqual(2);

    const active = { ...job, status: 'active' as const, startedAt: '2026-01-01T00:00:05.000Z' };
    await send(page, { type: 'job.active', jobId: job.id, job: active });
    await page.locator('.badge[data-status="active"]').waitFor();
    await send(
      page,
      { type: 'job.progress', jobId: job.id, job: { id: job.id, status: 'active', progress: 40 } },
      logEvent(job, ['step 1 of 3', 'step 2 of 3']),
    );
    const bar = page.getByRole('progressbar', { name: 'Progress' });
    await page.waitForFunction(
      () =>
        document
          .querySelector('fd-job-page')!
          .shadowRoot!.querySelector('[role="progressbar"]')!
          .getAttribute('aria-valuenow') === '40',
    );
    await expect(bar.getAttribute('aria-valuetext')).resolves.toBe('40%');
    await page.getByRole('log').getByText('step 2 of 3').waitFor();
    await page.getByRole('list', { name: 'Activity, oldest first' }).getByText('Attempt 1 started').waitFor();

    const done = { ...active, status: 'completed' as const, progress: 100, attemptsMade: 1, result: { slept: 1000 } };
    await send(page, { type: 'job.completed', jobId: job.id, job: done });
    await page.locator('.badge[data-status="completed"]').waitFor();
    await page.getByRole('region', { name: 'Result' }).getByText('"slept": 1000').waitFor();
    // The header kept its size as the job moved.
    const after = await page.locator('.job-header').boundingBox();
    expect(after!.height).toBeCloseTo(header!.height, -1);
    expect(fixture!.problems).toEqual([]);
  });

  it('claims a job, and when someone else got there first says who', async () => {
    const job = buildJob({
      status: 'failed',
      attemptsMade: 1,
      error: { message: 'demo failure' },
      errorStack: 'Error: demo failure\n    at run (demo.sleep.ts:23:21)',
    });
    const page = await open({
      job,
      extra: {
        [`POST /v1/jobs/${job.id}/claim`]: answer.error(
          409,
          'job_claimed',
          'Bob Builder is already on this job (claimed 2026-03-01T10:00:00.000Z)',
        ),
      },
    });
    await page.getByText('Nobody has claimed this job.').waitFor();
    await page.getByRole('button', { name: 'I’m on it' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'Bob Builder is already on this job.' });
    await refusal.waitFor();

    // The claim event shows the holder at once; only an admin could release someone else's claim.
    await send(page, {
      type: 'job.claimed',
      jobId: job.id,
      actor: BOB,
      claimedBy: { id: BOB.id, name: BOB.name, at: AT },
      activity: { id: 'a_claim', action: 'claimed' },
    });
    await page.getByText('Bob Builder is on it').waitFor();
    await expect(page.getByRole('button', { name: 'I’m on it' }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: /Release/ }).count()).resolves.toBe(0);
    await toasted(page, 'Bob Builder claimed this job');

    // The error, with its stack behind a disclosure.
    const error = page.getByRole('region', { name: 'Error' });
    await error.getByText('demo failure', { exact: true }).waitFor();
    await expect(error.getByText('at run (demo.sleep.ts:23:21)').isVisible()).resolves.toBe(false);
    await error.getByText('Stack trace').click();
    await expect(error.getByText('at run (demo.sleep.ts:23:21)').isVisible()).resolves.toBe(true);
  });

  it('claims and releases its own claim', async () => {
    const job = buildJob({ status: 'failed' });
    const claimed = { ...job, claimedBy: { id: ADA.id, name: ADA.name, at: AT } };
    const page = await open({
      job,
      extra: {
        [`POST /v1/jobs/${job.id}/claim`]: answer.ok(claimed),
        [`DELETE /v1/jobs/${job.id}/claim`]: answer.ok(job),
      },
    });
    await page.getByRole('button', { name: 'I’m on it' }).click();
    await page.getByText('You are on it').waitFor();
    await page.getByRole('button', { name: 'Release' }).click();
    await page.getByText('Nobody has claimed this job.').waitFor();
    const sent = (await requests()).filter((request) => request.path.endsWith('/claim'));
    expect(sent.map((request) => [request.method, request.headers['x-workspace']])).toEqual([
      ['POST', 'payments'],
      ['DELETE', 'payments'],
    ]);
  });

  /** The event of a comment, as the API appends it. */
  const commentEvent = (comment: Comment): Partial<StreamEvent> => ({
    type: 'comment.created',
    jobId: comment.jobId,
    actor: comment.author,
    comment,
    activity: { id: `a_${comment.id}`, action: 'commented' },
  });

  it('shows comments as they are posted, by others live and by you from the composer (Ctrl+Enter)', async () => {
    const job = buildJob({ status: 'failed' });
    const mine: Comment = { id: 'c2', jobId: job.id, body: 'retrying after 10:00', author: ADA, createdAt: AT };
    const page = await open({ job, extra: { [`POST /v1/jobs/${job.id}/comments`]: answer.ok(mine, 201) } });
    await page.getByText('No comments yet.', { exact: false }).waitFor();

    const theirs: Comment = { id: 'c1', jobId: job.id, body: 'upstream timed out', author: BOB, createdAt: AT };
    await send(page, commentEvent(theirs));
    const list = page.getByRole('list', { name: 'Comments, oldest first' });
    await list.getByText('upstream timed out').waitFor();
    await toasted(page, 'Bob Builder commented on this job');

    const field = page.getByLabel('Add a comment');
    await page.getByRole('button', { name: 'Comment', exact: true }).click();
    await page.getByRole('alert').getByText('Write something first.').waitFor();
    await expect(field.getAttribute('aria-invalid')).resolves.toBe('true');

    await field.fill('retrying after 10:00');
    await field.press('Control+Enter');
    await list.getByText('retrying after 10:00').waitFor();
    await expect(field.inputValue()).resolves.toBe('');
    await expect(list.getByRole('listitem').count()).resolves.toBe(2);
    // The event of your own comment does not show it twice.
    await send(page, commentEvent(mine));
    await expect(list.getByRole('listitem').count()).resolves.toBe(2);
    const posted = (await requests()).find((request) => request.method === 'POST');
    expect(posted?.body).toEqual({ body: 'retrying after 10:00' });

    // A refused comment says why and keeps the text.
    await rescript(page, `POST /v1/jobs/${job.id}/comments`, answer.error(429, 'rate_limited', 'slow down'));
    await field.fill('again');
    await field.press('Control+Enter');
    await page
      .getByRole('alert')
      .getByText(/Your comment was not posted/)
      .waitFor();
    await expect(field.inputValue()).resolves.toBe('again');
  });

  it('shows who is typing for a few seconds, and says it is typing at most every two seconds', async () => {
    const job = buildJob({ status: 'failed' });
    const page = await open({ job });
    await page.getByLabel('Add a comment').waitFor();
    await page.evaluate(
      ([jobId, user]) => (window as unknown as { gateway: Gateway }).gateway.typing({ jobId, user }),
      [job.id, { id: BOB.id, name: BOB.name }] as const,
    );
    const typing = page.getByText('Bob Builder is typing…');
    await typing.waitFor();
    // Another job's typist, and yourself, do not show.
    await page.evaluate(
      ([jobId, user]) => (window as unknown as { gateway: Gateway }).gateway.typing({ jobId, user }),
      ['another', { id: 'u_cy', name: 'Cy Young' }] as const,
    );
    await expect(page.getByText('Cy Young is typing…').count()).resolves.toBe(0);
    await typing.waitFor({ state: 'detached', timeout: 6_000 });

    await page.getByLabel('Add a comment').pressSequentially('abc', { delay: 50 });
    expect(await sentToGateway(page, 'typing')).toEqual([{ name: 'typing', payload: { jobId: job.id } }]);
  });

  it('shows who else has the job open, and asks for a toast when someone else retries it', async () => {
    const job = buildJob({ status: 'failed', attemptsMade: 1 });
    const page = await open({
      job,
      members: [
        { id: ADA.id, name: ADA.name, jobIds: [job.id] },
        { id: BOB.id, name: BOB.name, jobIds: [job.id] },
      ],
    });
    const viewers = page.getByRole('list', { name: /^Also viewing this job/ });
    await viewers.waitFor();
    await expect(viewers.getAttribute('aria-label')).resolves.toBe('Also viewing this job: Bob Builder');
    expect((await sentToGateway(page, 'presence')).at(-1)).toEqual({ name: 'presence', payload: { jobId: job.id } });

    const queued = { ...job, status: 'queued' as const };
    await send(page, {
      type: 'job.queued',
      jobId: job.id,
      job: queued,
      actor: BOB,
      activity: { id: 'a_retry', action: 'retried' },
    });
    await toasted(page, 'Bob Builder retried this job');
    await page.getByRole('list', { name: 'Activity, oldest first' }).getByText('Retried by Bob Builder').waitFor();
    await page.locator('.badge[data-status="queued"]').waitFor();
    // What you do yourself is no news to you.
    await send(page, { type: 'job.cancelled', jobId: job.id, job: { ...job, status: 'cancelled' }, actor: ADA });
    await page.locator('.badge[data-status="cancelled"]').waitFor();
    await expect(page.evaluate(() => (window as unknown as { toasts: string[] }).toasts)).resolves.toEqual([
      'Bob Builder retried this job',
    ]);

    await page.evaluate(() => (window as unknown as { gateway: Gateway }).gateway.presence([]));
    await viewers.waitFor({ state: 'detached' });
  });

  it('keeps the log at its newest line, unless the reader scrolled up; then offers to jump back', async () => {
    const job = buildJob({ status: 'active' });
    const page = await open({ job, logs: Array.from({ length: 60 }, (_, index) => `line ${index + 1}`) });
    const log = page.getByRole('log', { name: 'Logs' });
    await log.getByText('line 60', { exact: true }).waitFor();
    const atEnd = () =>
      log.evaluate((element) => Math.abs(element.scrollHeight - element.scrollTop - element.clientHeight) < 2);
    await page.waitForFunction(() => {
      const box = document.querySelector('fd-job-page')!.shadowRoot!.querySelector('.log')!;
      return Math.abs(box.scrollHeight - box.scrollTop - box.clientHeight) < 2;
    });
    const box = await log.boundingBox();

    await send(page, logEvent(job, ['line 61'], 100));
    await log.getByText('line 61').waitFor();
    await expect(atEnd()).resolves.toBe(true);

    await log.evaluate((element) => {
      element.scrollTop = 0;
      element.dispatchEvent(new Event('scroll'));
    });
    await send(page, logEvent(job, ['line 62']));
    await log.getByText('line 62').waitFor();
    await expect(log.evaluate((element) => element.scrollTop)).resolves.toBe(0);
    // The log box does not grow with its lines.
    expect((await log.boundingBox())!.height).toBe(box!.height);

    await page.getByRole('button', { name: /New lines below/ }).click();
    await expect(atEnd()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: /New lines below/ }).count()).resolves.toBe(0);
  });

  it('reads older pages of a long log into the gap before the live lines', async () => {
    const job = buildJob({ status: 'active' });
    const line = (seq: number) => ({ seq, line: `line ${seq}`, at: AT });
    const page = await open({
      job,
      extra: {
        [`GET /v1/jobs/${job.id}/logs?limit=500`]: answer.ok({ items: [line(1), line(2)], nextCursor: 'c2' }),
        [`GET /v1/jobs/${job.id}/logs?cursor=c2&limit=500`]: answer.ok({
          items: [line(3), line(40)],
          nextCursor: null,
        }),
      },
    });
    await page.getByRole('log').getByText('line 2', { exact: true }).waitFor();
    await send(page, logEvent(job, ['line 40'], 40));
    await send(page, logEvent(job, ['line 41'], 41));
    await page.getByRole('log').getByText('line 41').waitFor();
    await page.getByRole('button', { name: 'Load more lines' }).click();
    await page.getByRole('log').getByText('line 3', { exact: true }).waitFor();
    await expect(page.getByRole('log').locator('.log__line').allTextContents()).resolves.toEqual([
      'line 1',
      'line 2',
      'line 3',
      'line 40',
      'line 41',
    ]);
    await expect(page.getByRole('button', { name: 'Load more lines' }).count()).resolves.toBe(0);
  });

  it('makes a job token to share the live status, as embed code', async () => {
    const job = buildJob({ status: 'active' });
    const page = await open({
      job,
      extra: {
        [`POST /v1/jobs/${job.id}/token`]: answer.ok(
          { token: 'eyJ.job.token', jobId: job.id, expiresAt: '2026-03-01T11:00:00.000Z' },
          201,
        ),
      },
    });
    await page.getByRole('button', { name: 'Share live status' }).click();
    const code = page.getByLabel('Live status for any web page');
    await code.waitFor();
    await expect(code.inputValue()).resolves.toBe(
      `<script src="${new URL(page.url()).origin}/embed/fd-job-status.js" defer></script>\n` +
        `<fd-job-status job="${job.id}" token="eyJ.job.token"></fd-job-status>`,
    );
    await page.getByRole('button', { name: 'Copy the embed code' }).click();
    await page.getByRole('button', { name: 'Copy the embed code' }).getByText('Copied').first().waitFor();
  });

  it('asks before cancelling, and offers actions only as the role allows', async () => {
    const job = buildJob({ status: 'delayed', runAt: '2026-01-01T01:00:00.000Z' });
    const page = await open({
      job,
      extra: {
        [`POST /v1/jobs/${job.id}/cancel`]: answer.ok({ ...job, status: 'cancelled' }),
      },
    });
    await page.getByRole('button', { name: 'Run now' }).waitFor();
    await page.getByRole('button', { name: 'Cancel job' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cancel this job?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    expect((await requests()).some((request) => request.path.endsWith('/cancel'))).toBe(false);

    await page.getByRole('button', { name: 'Cancel job' }).click();
    await dialog.getByRole('button', { name: 'Cancel job' }).click();
    await page.locator('.badge[data-status="cancelled"]').waitFor();
    await page.getByRole('button', { name: 'Retry' }).waitFor();
  });

  it('shows a viewer the job without anything to act with', async () => {
    const job = buildJob({ status: 'failed' });
    const page = await open({ job, role: 'viewer' });
    await page.getByRole('heading', { name: 'demo.sleep' }).waitFor();
    await page.getByText('Viewers read the comments', { exact: false }).waitFor();
    for (const name of ['I’m on it', 'Retry', 'Cancel job', 'Share live status'])
      await expect(page.getByRole('button', { name }).count()).resolves.toBe(0);
    await expect(page.getByLabel('Add a comment').count()).resolves.toBe(0);
  });

  it('says a job that is not there (or of another workspace) was not found, with a way back', async () => {
    const job = buildJob();
    const page = await open({
      job,
      extra: { [`GET /v1/jobs/${job.id}`]: answer.error(404, 'not_found', 'job not found') },
    });
    await page.getByRole('heading', { name: 'Job not found' }).waitFor();
    await expect(page.getByRole('link', { name: 'Back to the jobs' }).getAttribute('href')).resolves.toBe(
      '/w/payments',
    );
  });

  it('fits a phone screen, in the dark theme too', async () => {
    const job = buildJob({
      status: 'failed',
      error: { message: 'demo failure' },
      payload: { ms: 1, note: 'x'.repeat(200) },
    });
    const page = await open({ job }, 'dark');
    await page.setViewportSize({ width: 360, height: 800 });
    await page.getByRole('heading', { name: 'demo.sleep' }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const background = await page
      .locator('.job-header')
      .evaluate((element) => getComputedStyle(element).backgroundColor);
    expect(background).toBe('rgb(21, 27, 35)');
  });
});
