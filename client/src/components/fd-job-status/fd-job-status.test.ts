import type { Page } from 'playwright-core';
import type { Fixture } from '../../../test/support/browser';
import { fixturePages } from '../../../test/support/fixture-pages';
import type { FakeServer } from '../../../test/support/fake-server';
import { buildJob } from '../../../test/support/job-factory';

let fixture: Fixture;

// <fd-job-status> over a scripted REST API and a scripted socket. `window.socketMode` says how the
// socket's handshake goes ('live', 'down': cannot connect, 'refused': the token is refused);
// `window.ack` is the subscribe ack; `window.push(event)` sends an event on the socket.
const FIXTURE_SCRIPT = `
  import './components/fd-job-status/fd-job-status.component';
  import { fakeServer } from '../test/support/fake-server';
  import { FakeSocketBase } from '../test/support/fake-socket';

  const page = window as unknown as Record<string, any>;
  const server = fakeServer();
  page.server = server;
  page.socketMode = 'live';
  page.ack = { ok: true, seq: 10 };
  page.sockets = [];
  page.subscribes = [];

  class FakeSocket extends FakeSocketBase {
    closed = false;
    constructor(readonly url: string | undefined, readonly options: Record<string, unknown>) {
      super();
    }
    override disconnect() {
      this.closed = true;
      return super.disconnect();
    }
    // Leaves active as the handshake left it: a refused socket stays given up.
    override connect() {
      return this;
    }
    timeout() {
      return {
        emitWithAck: async (_name: string, request: unknown) => {
          page.subscribes.push(request);
          return page.ack;
        },
      };
    }
  }

  const connect = (url: string | undefined, options: Record<string, unknown>) => {
    const socket = new FakeSocket(url, options);
    page.sockets.push(socket);
    setTimeout(() => {
      if (page.socketMode === 'live') {
        socket.open();
      } else if (page.socketMode === 'down') {
        socket.fire('connect_error', new Error('websocket error'));
      } else {
        socket.active = false;
        socket.fire('connect_error', new Error('unauthorized: this token has expired'));
      }
    }, 0);
    return socket;
  };
  page.push = (event: unknown) => page.sockets.at(-1).fire('event', event);
  page.setUp = (attributes: Record<string, string>) => {
    const status = document.createElement('fd-job-status');
    status.transport = { connect: connect as never, fetch: server.fetch };
    for (const [name, value] of Object.entries(attributes)) status.setAttribute(name, value);
    document.body.append(status);
  };
`;

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJKMSJ9.c2lnbmF0dXJl';
const API = 'https://flightdeck.example';

const pages = fixturePages(FIXTURE_SCRIPT);

/** What the fixture script keeps on `window`. */
interface FixtureWindow {
  server: FakeServer;
  socketMode: string;
  ack: unknown;
  subscribes: unknown[];
  sockets: { url: string; options: Record<string, unknown>; closed: boolean }[];
  setUp(attributes: Record<string, string>): void;
}

interface Setup {
  answers: FakeServer['answers'];
  socketMode?: 'live' | 'down' | 'refused';
  ack?: unknown;
  attributes?: Record<string, string>;
  clock?: boolean;
  css?: string;
}

async function open({
  answers,
  socketMode = 'live',
  ack = { ok: true, seq: 10 },
  attributes = {},
  clock,
  css = '',
}: Setup) {
  fixture = await pages.open({ body: css ? `<style>${css}</style>` : '' });
  const { page } = fixture;
  if (clock) await page.clock.install();
  await page.evaluate(
    ({ answers, socketMode, ack, attributes }) => {
      const page = window as unknown as FixtureWindow;
      Object.assign(page, { socketMode, ack });
      page.server.answers = answers;
      page.setUp(attributes);
    },
    { answers, socketMode, ack, attributes: { job: JOB.id, token: TOKEN, api: API, ...attributes } },
  );
  return page;
}

const JOB = buildJob({
  id: 'J1',
  type: 'demo.sleep',
  status: 'active',
  progress: 20,
  createdAt: '2026-03-01T10:00:00.000Z',
  startedAt: '2026-03-01T10:00:01.000Z',
});
const OTHER = buildJob({ id: 'J2', type: 'billing.secret-export', status: 'active', progress: 5 });

const status = (page: Page) => page.locator('fd-job-status');
const bar = (page: Page) => page.getByRole('progressbar', { name: 'Progress' });
const push = (page: Page, event: unknown) =>
  page.evaluate((event) => (window as unknown as { push: (event: unknown) => void }).push(event), event);
const state = (page: Page) =>
  page.evaluate(() => {
    const page = window as unknown as FixtureWindow;
    return {
      requests: page.server.requests,
      subscribes: page.subscribes,
      sockets: page.sockets.map(({ url, options, closed }) => ({ url, options, closed })),
    };
  });
const shownText = (page: Page) => status(page).evaluate((element) => element.shadowRoot!.textContent ?? '');

describe('fd-job-status', () => {
  it('follows the job live over the socket, from progress to completion, with the token and nothing else', async () => {
    const page = await open({ answers: { 'GET /v1/jobs/J1': { status: 200, body: JOB } } });
    await status(page).getByRole('status', { name: 'Status: Running' }).waitFor();
    await status(page).getByText('demo.sleep').waitFor();
    await expect(bar(page).getAttribute('aria-valuenow')).resolves.toBe('20');
    await status(page).getByText('Live').waitFor();

    await push(page, {
      seq: 11,
      type: 'job.progress',
      jobId: 'J1',
      job: { id: 'J1', status: 'active', progress: 60 },
      at: '',
    });
    await page.waitForFunction(() =>
      document.querySelector('fd-job-status')!.shadowRoot!.textContent!.includes('60 %'),
    );
    await expect(bar(page).getAttribute('aria-valuenow')).resolves.toBe('60');

    // Another job's event on the same socket changes nothing and shows nothing.
    await push(page, { seq: 12, type: 'job.progress', jobId: 'J2', job: { ...OTHER, progress: 90 }, at: '' });
    const completed = {
      ...JOB,
      status: 'completed',
      progress: 100,
      result: { slept: 1500 },
      finishedAt: '2026-03-01T10:00:03.000Z',
    };
    await push(page, { seq: 13, type: 'job.completed', jobId: 'J1', job: completed, at: '' });
    await status(page).getByRole('status', { name: 'Status: Completed' }).waitFor();
    await expect(bar(page).getAttribute('aria-valuenow')).resolves.toBe('100');
    await expect(status(page).locator('pre').textContent()).resolves.toContain('"slept": 1500');
    await expect(shownText(page)).resolves.not.toContain('billing');

    const { requests, subscribes, sockets } = await state(page);
    expect(subscribes).toEqual([{ topic: 'job', id: 'J1' }]);
    expect(sockets).toEqual([
      {
        url: API,
        options: expect.objectContaining({ auth: { token: TOKEN }, transports: ['websocket'], path: '/socket.io' }),
        closed: false,
      },
    ]);
    // Read once at once and once after the subscription; with the token, no cookie.
    expect(requests.length).toBeGreaterThanOrEqual(1);
    for (const request of requests)
      expect(request).toMatchObject({
        method: 'GET',
        path: '/v1/jobs/J1',
        headers: { authorization: `Bearer ${TOKEN}` },
        credentials: 'omit',
      });
    expect(fixture.problems).toEqual([]);
  });

  it('shows "not available" and no data with a token for another job', async () => {
    const page = await open({
      answers: {
        'GET /v1/jobs/J1': { status: 404, body: { error: { code: 'not_found', message: 'job J1 not found' } } },
      },
      ack: { ok: false, error: { code: 'not_found', message: 'job J1 not found' } },
    });
    await status(page).getByText("This job's status is not available.").waitFor();
    const text = await shownText(page);
    for (const secret of ['J1', 'J2', 'demo.sleep', 'Running', '%']) expect(text).not.toContain(secret);
    await expect(status(page).getByRole('progressbar').count()).resolves.toBe(0);
    // It stops there: the socket is closed, nothing more is asked.
    await page.waitForFunction(() => (window as unknown as { sockets: { closed: boolean }[] }).sockets[0]?.closed);
  });

  it('shows nothing of a job other than its own, even if a server answered one', async () => {
    const page = await open({ answers: { 'GET /v1/jobs/J1': { status: 200, body: OTHER } } });
    await status(page).getByText("This job's status is not available.").waitFor();
    await expect(shownText(page)).resolves.not.toContain('billing');
  });

  it('shows "not available" for an invalid or expired token', async () => {
    const page = await open({
      socketMode: 'refused',
      answers: {
        'GET /v1/jobs/J1': {
          status: 401,
          body: { error: { code: 'unauthorized', message: 'this token has expired' } },
        },
      },
    });
    await status(page).getByText("This job's status is not available.").waitFor();
    await expect(shownText(page)).resolves.not.toContain('demo.sleep');
  });

  it('reads the job every few seconds when the socket cannot connect, and stops when it has ended', async () => {
    const page = await open({
      socketMode: 'down',
      clock: true,
      attributes: { 'poll-interval': '2000' },
      answers: {
        'GET /v1/jobs/J1': [
          { status: 200, body: { ...JOB, progress: 10 } },
          { status: 200, body: { ...JOB, progress: 70 } },
          { status: 503, body: { error: { code: 'service_unavailable', message: 'try again shortly' } } },
          {
            status: 200,
            body: {
              ...JOB,
              status: 'failed',
              progress: 70,
              error: { message: 'demo failure' },
              finishedAt: JOB.startedAt,
            },
          },
        ],
      },
    });
    await page.clock.runFor(100);
    await status(page).getByText('Updated every few seconds').waitFor();
    await expect(bar(page).getAttribute('aria-valuenow')).resolves.toBe('10');
    await page.clock.runFor(2_000);
    await page.waitForFunction(() =>
      document.querySelector('fd-job-status')!.shadowRoot!.textContent!.includes('70 %'),
    );
    // A failed read keeps what is shown.
    await page.clock.runFor(2_000);
    await expect(bar(page).getAttribute('aria-valuenow')).resolves.toBe('70');
    await page.clock.runFor(2_000);
    await status(page).getByRole('status', { name: 'Status: Failed' }).waitFor();
    await status(page).getByRole('alert').getByText('demo failure').waitFor();
    const reads = (await state(page)).requests.length;
    expect(reads).toBe(4);
    await page.clock.runFor(20_000);
    expect((await state(page)).requests.length).toBe(reads);
  });

  it('takes its colours and radius from --fd-status-* properties, and exposes its parts', async () => {
    const page = await open({
      answers: { 'GET /v1/jobs/J1': { status: 200, body: JOB } },
      css: `
        fd-job-status { --fd-status-accent: rgb(200, 0, 120); --fd-status-radius: 3px; --fd-status-font: monospace; }
        fd-job-status::part(type) { text-transform: uppercase; }
      `,
    });
    await status(page).getByRole('status', { name: 'Status: Running' }).waitFor();
    const look = await status(page).evaluate((element) => {
      const root = element.shadowRoot!;
      const style = (selector: string) => getComputedStyle(root.querySelector(selector)!);
      return {
        bar: style('[part="progress-bar"]').backgroundColor,
        radius: style('[part="base"]').borderTopLeftRadius,
        font: style('[part="base"]').fontFamily,
        type: style('[part="type"]').textTransform,
      };
    });
    expect(look).toEqual({ bar: 'rgb(200, 0, 120)', radius: '3px', font: 'monospace', type: 'uppercase' });
  });
});
