import type { Page } from 'playwright-core';
import type { Fixture } from '../../../test/support/browser';
import type { FakeAnswer, FakeServer } from '../../../test/support/fake-server';
import { fixturePages } from '../../../test/support/fixture-pages';
import { buildJob } from '../../../test/support/job-factory';

// fd-app against a scripted REST API (the real ApiClient over a fake fetch) and no realtime gateway:
// signing in and out, the workspace addresses, the settings pages by role, and the API-key way in.
// The live behaviour against a real Flightdeck is in client/e2e/.
let fixture: Fixture | undefined;

// `window.start(answers)` scripts the API, then puts fd-app on the page (so it boots against them).
const FIXTURE_SCRIPT = `
  import './components/fd-app/fd-app.component';
  import { fakeServer } from '../test/support/fake-server';

  const page = window as unknown as Record<string, unknown>;
  const server = fakeServer();
  page.server = server;
  window.fetch = server.fetch;
  page.start = (answers: Record<string, never>) => {
    server.answers = answers;
    document.body.append(document.createElement('fd-app'));
  };
`;

const ADA = { id: 'u_ada', email: 'ada@example.com', name: 'Ada Lovelace' };
const WORKSPACES = [
  { id: 'w1', slug: 'payments', name: 'Payments', role: 'admin' },
  { id: 'w2', slug: 'search', name: 'Search', role: 'viewer' },
];
const NOT_SIGNED_IN: FakeAnswer = {
  status: 401,
  body: { error: { code: 'unauthorized', message: 'missing credentials' } },
};
const SIGNED_IN: FakeAnswer = { status: 200, body: { user: ADA, apiKey: null, workspaces: WORKSPACES } };
const NO_JOBS: FakeAnswer = { status: 200, body: { items: [], nextCursor: null } };

const pages = fixturePages(FIXTURE_SCRIPT);

async function open(path: string, answers: FakeServer['answers']): Promise<Page> {
  fixture = await pages.open({ path });
  await fixture.page.evaluate(
    (scripted) => (window as unknown as { start: (a: unknown) => void }).start(scripted),
    answers,
  );
  return fixture.page;
}

const pathOf = (page: Page) => {
  const url = new URL(page.url());
  return `${url.pathname}${url.search}`;
};
const requests = () => fixture!.page.evaluate(() => (window as unknown as { server: FakeServer }).server.requests);
const storedKey = () => fixture!.page.evaluate(() => sessionStorage.getItem('flightdeck.apiKey'));
const focusedId = (page: Page) =>
  page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return active?.id;
  });
/** Marks the page; the mark survives navigations within the app but not a reload. */
const markPage = (page: Page) => page.evaluate(() => ((window as unknown as { mark: boolean }).mark = true));
const stillMarked = (page: Page) => page.evaluate(() => (window as unknown as { mark?: boolean }).mark === true);

describe('fd-app, signed out', () => {
  it('shows sign-in at /sign-in, with connecting by API key as a secondary option', async () => {
    const page = await open('/', { 'GET /v1/me': NOT_SIGNED_IN });
    await page.getByRole('heading', { name: 'Sign in to Flightdeck' }).waitFor();
    expect(pathOf(page)).toBe('/sign-in');
    await expect(page.title()).resolves.toBe('Sign in · Flightdeck');
    await expect(page.getByLabel('API key').isVisible()).resolves.toBe(false);

    await page.getByText('Connect with an API key').click();
    const key = page.getByLabel('API key');
    await expect(key.getAttribute('type')).resolves.toBe('password');
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByRole('alert').getByText('Enter an API key.').waitFor();
    await expect(focusedId(page)).resolves.toBe('api-key');
  });

  it('goes to sign-in from any console page and comes back there after signing in', async () => {
    const page = await open('/w/search/settings/members', {
      'GET /v1/me': NOT_SIGNED_IN,
      'POST /v1/auth/login': { status: 200, body: { user: ADA, workspaces: WORKSPACES } },
      'GET /v1/members': { status: 200, body: { items: [] } },
    });
    await page.getByRole('heading', { name: 'Sign in to Flightdeck' }).waitFor();
    expect(pathOf(page)).toBe('/sign-in?next=%2Fw%2Fsearch%2Fsettings%2Fmembers');
    await markPage(page);

    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByLabel('Password', { exact: true }).fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.getByRole('heading', { name: 'Members' }).waitFor();
    expect(pathOf(page)).toBe('/w/search/settings/members');
    await expect(stillMarked(page)).resolves.toBe(true);
    await expect(requests()).resolves.toContainEqual(
      expect.objectContaining({
        method: 'GET',
        path: '/v1/members',
        headers: expect.objectContaining({ 'x-workspace': 'search' }),
      }),
    );
  });

  it('links sign-in and sign-up to each other without reloading', async () => {
    const page = await open('/sign-in', { 'GET /v1/me': NOT_SIGNED_IN });
    await markPage(page);
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByRole('heading', { name: 'Create your account' }).waitFor();
    expect(pathOf(page)).toBe('/sign-up');
    await page.getByLabel('Name').waitFor();
    await page.goBack();
    await page.getByRole('heading', { name: 'Sign in to Flightdeck' }).waitFor();
    await expect(stillMarked(page)).resolves.toBe(true);
  });
});

describe('fd-app, signed in', () => {
  it('opens the first workspace at /, with the switcher, the user and the tabs the role allows', async () => {
    const page = await open('/', { 'GET /v1/me': SIGNED_IN, 'GET /v1/jobs?limit=100': NO_JOBS });
    await page.getByRole('heading', { name: 'Submit a job' }).waitFor();
    expect(pathOf(page)).toBe('/w/payments');
    await expect(page.title()).resolves.toBe('Jobs · Payments · Flightdeck');
    await expect(page.getByRole('button', { name: /^Workspace: Payments/ }).isVisible()).resolves.toBe(true);
    await page.getByText('Ada Lovelace').waitFor();
    const tabs = page.getByRole('navigation', { name: 'Workspace' }).getByRole('link');
    await expect(tabs.allTextContents()).resolves.toEqual([
      'Jobs',
      'Activity',
      'Job types',
      'Ops',
      'Members',
      'API keys',
    ]);
    await expect(tabs.first().getAttribute('aria-current')).resolves.toBe('page');
  });

  it('switches workspace from the switcher: new address, no reload, and what a viewer may not do is gone', async () => {
    const page = await open('/w/payments', { 'GET /v1/me': SIGNED_IN });
    await page.getByRole('heading', { name: 'Submit a job' }).waitFor();
    await page.locator('fd-submit-form').waitFor();
    await markPage(page);

    await page.getByRole('button', { name: /^Workspace: Payments/ }).click();
    await page.getByRole('link', { name: /^Search/ }).click();
    await page.getByRole('button', { name: /^Workspace: Search/ }).waitFor();
    expect(pathOf(page)).toBe('/w/search');
    await expect(stillMarked(page)).resolves.toBe(true);
    const tabs = page.getByRole('navigation', { name: 'Workspace' }).getByRole('link');
    await expect(tabs.allTextContents()).resolves.toEqual(['Jobs', 'Activity', 'Job types', 'Ops', 'Members']);
    await page.getByText('Viewers watch the jobs; members and above submit them.').waitFor();
    await expect(page.locator('fd-submit-form').count()).resolves.toBe(0);

    // Back goes back to the other workspace.
    await page.goBack();
    await page.getByRole('button', { name: /^Workspace: Payments/ }).waitFor();
  });

  it('opens the job page at a job address, and says so when the job is not in the workspace', async () => {
    const job = buildJob({ status: 'failed' });
    const page = await open(`/w/payments/jobs/${job.id}`, {
      'GET /v1/me': SIGNED_IN,
      [`GET /v1/jobs/${job.id}`]: { status: 200, body: job },
    });
    await page.locator('fd-job-page').getByRole('heading', { name: 'demo.sleep', level: 2 }).waitFor();
    expect(pathOf(page)).toBe(`/w/payments/jobs/${job.id}`);
    await expect(page.title()).resolves.toBe(`Job ${job.id} · Payments · Flightdeck`);
    const tabs = page.getByRole('navigation', { name: 'Workspace' }).getByRole('link');
    await expect(tabs.first().getAttribute('aria-current')).resolves.toBe('page');
    await expect(requests()).resolves.toContainEqual(
      expect.objectContaining({
        path: `/v1/jobs/${job.id}`,
        headers: expect.objectContaining({ 'x-workspace': 'payments' }),
      }),
    );

    await page.evaluate(() => {
      window.history.pushState(null, '', '/w/payments/jobs/01JOBOFANOTHERWORKSPACE0000');
      window.dispatchEvent(new PopStateEvent('popstate'));
    });
    await page.getByRole('heading', { name: 'Job not found' }).waitFor();
    await page.getByRole('link', { name: 'Back to the jobs' }).click();
    await page.waitForFunction(() => window.location.pathname === '/w/payments');
  });

  it("opens the activity feed from its tab and from the jobs page's recent activity, at /w/<slug>/activity", async () => {
    const retried = {
      id: '01ACTIVITY00000000000000001',
      jobId: '01JOB000000000000000AAAABBBB',
      jobType: 'demo.sleep',
      action: 'retried',
      actor: { type: 'user', id: 'u_bob', name: 'Bob Builder' },
      at: new Date().toISOString(),
      details: {},
    };
    const page = await open('/w/payments', {
      'GET /v1/me': SIGNED_IN,
      'GET /v1/activity?limit=5': { status: 200, body: { items: [retried], nextCursor: null } },
      'GET /v1/activity?limit=50': { status: 200, body: { items: [retried], nextCursor: null } },
    });
    const panel = page.getByRole('region', { name: 'Recent activity' });
    await panel.getByText('Bob Builder').waitFor();
    await markPage(page);
    await panel.getByRole('link', { name: 'All activity' }).click();
    await page.getByRole('heading', { name: 'Activity', level: 2 }).waitFor();
    expect(pathOf(page)).toBe('/w/payments/activity');
    await expect(page.title()).resolves.toBe('Activity · Payments · Flightdeck');
    await expect(stillMarked(page)).resolves.toBe(true);
    const tabs = page.getByRole('navigation', { name: 'Workspace' });
    await expect(tabs.getByRole('link', { name: 'Activity' }).getAttribute('aria-current')).resolves.toBe('page');
    await page.getByRole('list', { name: 'Activity, newest first' }).getByText('Bob Builder').waitFor();
    await expect(requests()).resolves.toContainEqual(
      expect.objectContaining({
        path: '/v1/activity?limit=50',
        headers: expect.objectContaining({ 'x-workspace': 'payments' }),
      }),
    );
  });

  it('shows the settings pages at their addresses, and says so when the role does not reach them', async () => {
    const page = await open('/w/payments/settings', {
      'GET /v1/me': SIGNED_IN,
      'GET /v1/members': { status: 200, body: { items: [] } },
      'GET /v1/api-keys': { status: 200, body: { items: [] } },
    });
    await page.getByRole('heading', { name: 'Members' }).waitFor();
    expect(pathOf(page)).toBe('/w/payments/settings/members');
    await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    expect(pathOf(page)).toBe('/w/payments/settings/api-keys');
    // Focus moves to the new page's content.
    await expect(focusedId(page)).resolves.toBe('main');

    await page.evaluate(() => {
      history.pushState(null, '', '/w/search/settings/api-keys');
      dispatchEvent(new PopStateEvent('popstate'));
    });
    await page.getByRole('heading', { name: 'Not available' }).waitFor();
  });

  it('says a workspace is not found when the person is not a member, after asking the server again', async () => {
    const page = await open('/w/secret', { 'GET /v1/me': SIGNED_IN });
    await page.getByRole('heading', { name: 'Not found' }).waitFor();
    await expect(page.getByRole('link', { name: 'Open Payments' }).getAttribute('href')).resolves.toBe('/w/payments');
    await expect(
      page.waitForFunction(
        () =>
          (window as unknown as { server: FakeServer }).server.requests.filter((r) => r.path === '/v1/me').length === 2,
      ),
    ).resolves.toBeTruthy();
  });

  it('signs out and shows sign-in again', async () => {
    const page = await open('/w/payments', { 'GET /v1/me': SIGNED_IN, 'POST /v1/auth/logout': { status: 204 } });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Flightdeck' }).waitFor();
    await page.getByRole('status').getByText('You signed out.').waitFor();
    expect(pathOf(page)).toBe('/sign-in');
    await expect(requests()).resolves.toContainEqual(
      expect.objectContaining({ method: 'POST', path: '/v1/auth/logout' }),
    );
  });

  it('goes back to sign-in, and back here afterwards, when the session has ended', async () => {
    const page = await open('/w/payments/settings/members', {
      'GET /v1/me': SIGNED_IN,
      'GET /v1/members': { status: 401, body: { error: { code: 'unauthorized', message: 'the session has ended' } } },
    });
    await page.getByRole('alert').getByText('Your session has ended. Sign in again to continue.').waitFor();
    expect(pathOf(page)).toBe('/sign-in?next=%2Fw%2Fpayments%2Fsettings%2Fmembers');
  });
});

describe('fd-app, with an API key', () => {
  it('connects with a typed key, keeps it for the tab, and forgets it on Disconnect', async () => {
    const page = await open('/', { 'GET /v1/me': NOT_SIGNED_IN });
    await page.getByText('Connect with an API key').click();
    // A server from before accounts, without /v1/me: the key still shows the jobs.
    await page.evaluate(() => {
      (window as unknown as { server: FakeServer }).server.answers['GET /v1/me'] = {
        status: 404,
        body: { error: { code: 'route_not_found', message: 'no such route' } },
      };
    });
    await page.getByLabel('API key').fill('fd_typed_key');
    await page.getByLabel('API key').press('Enter');
    await page.getByRole('status', { name: /^Realtime connection: connecting/ }).waitFor();
    await page.getByRole('heading', { name: 'Submit a job' }).waitFor();
    expect(pathOf(page)).toBe('/');
    await expect(storedKey()).resolves.toBe('fd_typed_key');
    // The key, not the session, is what its calls carry.
    await expect(requests()).resolves.toContainEqual(
      expect.objectContaining({
        path: '/v1/me',
        credentials: 'omit',
        headers: expect.objectContaining({ authorization: 'Bearer fd_typed_key' }),
      }),
    );

    await page.getByRole('button', { name: 'Disconnect' }).click();
    await page.getByLabel('API key').waitFor();
    await expect(storedKey()).resolves.toBeNull();
  });

  it('asks for another key when the server refuses the one it was given', async () => {
    const page = await open('/?key=fd_revoked', {
      'GET /v1/me': { status: 401, body: { error: { code: 'unauthorized', message: 'invalid or revoked API key' } } },
    });
    await page.getByRole('alert').getByText('That API key was refused. Invalid or revoked API key.').waitFor();
    await expect(page.getByLabel('API key').isVisible()).resolves.toBe(true);
    await expect(storedKey()).resolves.toBeNull();
  });

  it('takes ?key= from the address, keeps it for the tab and removes it from the address', async () => {
    const page = await open('/w/default?key=fd_from_url&view=all', {});
    await page.getByRole('status', { name: /^Realtime connection: connecting/ }).waitFor();
    expect(pathOf(page)).toBe('/w/default?view=all');
    await expect(storedKey()).resolves.toBe('fd_from_url');
  });

  it("shows the key's own workspace and the settings its scopes reach, once the server said them", async () => {
    const page = await open('/?key=fd_admin_key', {
      'GET /v1/me': {
        status: 200,
        body: {
          user: null,
          apiKey: { id: 'k1', name: 'ops', scopes: ['admin'] },
          workspaces: [{ id: 'w9', slug: 'default', name: 'Default', role: null }],
        },
      },
      'GET /v1/api-keys': { status: 200, body: { items: [] } },
    });
    await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'API keys' }).waitFor();
    expect(pathOf(page)).toBe('/w/default');
    await page.getByText('Default').first().waitFor();
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    await expect(requests()).resolves.toContainEqual(
      expect.objectContaining({
        path: '/v1/api-keys',
        headers: expect.objectContaining({ authorization: 'Bearer fd_admin_key' }),
      }),
    );
  });
});

describe('fd-app, accessibility', () => {
  it('has a skip link to the main area for keyboard users', async () => {
    const page = await open('/', { 'GET /v1/me': NOT_SIGNED_IN });
    await page.getByRole('heading', { name: 'Sign in to Flightdeck' }).waitFor();
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    await expect(skip.evaluate((link) => link === (link.getRootNode() as ShadowRoot).activeElement)).resolves.toBe(
      true,
    );
    await page.keyboard.press('Enter');
    await expect(focusedId(page)).resolves.toBe('main');
    expect(fixture!.problems).toEqual([]);
  });
});
