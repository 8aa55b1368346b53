/**
 * The console's accounts in a real browser against a real Flightdeck (in this process, on the test
 * run's Redis and FerretDB): signing up and in with a session cookie, watching a workspace live over
 * that session, switching workspaces, managing members and API keys by role. Needs the built
 * console (client/dist): `npm test` builds first.
 *
 * FLIGHTDECK_SCREENSHOTS=1 also writes docs/screenshots/accounts-*-{desktop,phone}.png.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { Person } from '../../backend/test/support/flightdeck-harness';
import { httpClient } from '../../backend/test/support/http-client';
import { consoleE2e, DESKTOP, PHONE, SCREENSHOTS_DIR } from '../test/support/console-e2e';

const e2e = consoleE2e();

/** A fresh browser profile (no cookie) on the console's start page. */
async function openConsole(viewport = DESKTOP, colorScheme: 'light' | 'dark' = 'light') {
  const context = await e2e.newContext({ viewport, colorScheme });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    // Chromium logs every 4xx answer, and the console gets some on purpose: "who am I?" when it opens
    // (401 when not signed in), and the server's refusals that it shows (422 weak_password…).
    if (message.type() === 'error' && !/status of 4\d\d/.test(message.text())) problems.push(message.text());
  });
  await page.goto(`${e2e.app.url}/`);
  await page.getByRole('heading', { name: 'Sign in to Flightdeck' }).waitFor();
  return { page, problems };
}

async function signIn(page: Page, person: Person): Promise<void> {
  await page.getByLabel('Email').fill(person.user.email);
  await page.getByLabel('Password', { exact: true }).fill(person.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

const pathOf = (page: Page) => new URL(page.url()).pathname;
const live = (page: Page) => page.getByRole('status', { name: /^Realtime connection: live/ });

describe('the console, with accounts', () => {
  it('signs up, lands in the new workspace and watches it live over the session, also after a reload', async () => {
    const { page, problems } = await openConsole();
    expect(pathOf(page)).toBe('/sign-in');
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByRole('heading', { name: 'Create your account' }).waitFor();

    const email = `grace.${Date.now()}@example.test`;
    await page.getByLabel('Name').fill('Grace Hopper');
    await page.getByLabel('Email').fill(email);
    // Long enough, but the server knows it is a common password and says so.
    await page.getByLabel('Password', { exact: true }).fill('password123');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText(/common/i).waitFor();
    await expect(page.getByLabel('Password', { exact: true }).getAttribute('aria-invalid')).resolves.toBe('true');

    await page.getByLabel('Password', { exact: true }).fill('a compiler is a good friend');
    await page.getByRole('button', { name: 'Create account' }).click();
    await live(page).waitFor({ timeout: 15_000 });
    expect(pathOf(page)).toMatch(/^\/w\/[^/]+$/);
    await page.getByRole('button', { name: /^Workspace: .*Owner/ }).waitFor();

    await page.getByLabel('Duration (ms)').fill('300');
    await page.getByLabel('Steps').fill('2');
    await page.getByRole('button', { name: 'Submit job' }).click();
    await page.locator('fd-jobs-table tr[data-status="completed"]').waitFor({ timeout: 15_000 });

    // The session cookie keeps the person signed in across a reload.
    const address = page.url();
    await page.reload();
    await live(page).waitFor({ timeout: 15_000 });
    expect(page.url()).toBe(address);
    await expect(page.locator('fd-jobs-table tr[data-status="completed"]').count()).resolves.toBe(1);
    expect(problems).toEqual([]);
  });

  it('lets an owner add a member and manage API keys, and shows the member only what their role allows', async () => {
    const olga = await e2e.app.signup('Olga Owner');
    const vic = await e2e.app.signup('Vic Viewer');

    const { page, problems } = await openConsole();
    await signIn(page, olga);
    expect(pathOf(page)).toBe(`/w/${olga.slug}`);

    // Members: add Vic as a viewer.
    await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Members' }).click();
    await page.getByRole('heading', { name: 'Members' }).waitFor();
    expect(pathOf(page)).toBe(`/w/${olga.slug}/settings/members`);
    await page.getByLabel('Email').fill(vic.user.email);
    await page.getByLabel('Role', { exact: true }).selectOption('viewer');
    await page.getByRole('button', { name: 'Add member' }).click();
    await page.getByRole('status').getByText('Added Vic Viewer as Viewer.').waitFor();
    await page.getByLabel('Role of Vic Viewer').waitFor();

    // API keys: create one, use it, revoke it.
    await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'API keys' }).click();
    await page.getByLabel('Name').fill('ci runner');
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = await page.getByLabel('New API key').inputValue();
    expect((await httpClient(e2e.app.url, key).get('/v1/jobs')).status).toBe(200);
    await page.getByRole('button', { name: 'Done, I have stored it' }).click();
    await expect(page.getByLabel('New API key').count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Revoke ci runner' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke key' }).click();
    await page.getByRole('status').getByText('Revoked “ci runner”.').waitFor();
    expect((await httpClient(e2e.app.url, key).get('/v1/jobs')).status).toBe(401);
    expect(problems).toEqual([]);

    // Vic, in another browser: both workspaces in the switcher, each with Vic's role; Olga's as a viewer.
    const vicsBrowser = await openConsole();
    await signIn(vicsBrowser.page, vic);
    const vicsPage = vicsBrowser.page;
    expect([`/w/${vic.slug}`, `/w/${olga.slug}`]).toContain(pathOf(vicsPage));
    await vicsPage.getByRole('button', { name: /^Workspace:/ }).click();
    await vicsPage.getByRole('link', { name: /^Vic Viewer.*Owner/ }).waitFor();
    await vicsPage.getByRole('link', { name: /^Olga Owner.*Viewer/ }).click();
    await live(vicsPage).waitFor({ timeout: 15_000 });
    expect(pathOf(vicsPage)).toBe(`/w/${olga.slug}`);
    const tabs = vicsPage.getByRole('navigation', { name: 'Workspace' }).getByRole('link');
    await expect(tabs.allTextContents()).resolves.toEqual(['Jobs', 'Activity', 'Job types', 'Ops', 'Members']);
    await expect(vicsPage.locator('fd-submit-form').count()).resolves.toBe(0);

    await vicsPage.getByRole('button', { name: 'Sign out' }).click();
    await vicsPage.getByRole('heading', { name: 'Sign in to Flightdeck' }).waitFor();
    expect(vicsBrowser.problems).toEqual([]);
  });

  (process.env.FLIGHTDECK_SCREENSHOTS === '1' ? it : it.skip)(
    'writes screenshots of sign-in, the workspace switcher, members and API keys (desktop and phone) to docs/screenshots',
    async () => {
      mkdirSync(SCREENSHOTS_DIR, { recursive: true });
      const ada = await e2e.app.signup('Ada Lovelace');
      const team = await Promise.all(
        ['Grace Hopper', 'Alan Turing', 'Katherine Johnson'].map((name) => e2e.app.signup(name)),
      );
      const roles = ['admin', 'member', 'viewer'] as const;
      for (const [index, person] of team.entries())
        expect((await ada.http.post('/v1/members', { email: person.user.email, role: roles[index] })).status).toBe(201);
      // Ada in two more workspaces: one of her own, one where she is a member.
      expect((await ada.http.post('/v1/workspaces', { name: 'Data platform' })).status).toBe(201);
      expect((await team[0]!.http.post('/v1/members', { email: ada.user.email, role: 'member' })).status).toBe(201);
      await ada.http.post('/v1/api-keys', { name: 'billing service' });
      await ada.http.post('/v1/api-keys', { name: 'nightly reports', scopes: ['jobs:read', 'queues:read'] });
      const old = await ada.http.post('/v1/api-keys', { name: 'old deploy bot', scopes: ['admin'] });
      await ada.http.delete(`/v1/api-keys/${old.body.id}`);

      for (const [name, viewport] of [
        ['desktop', DESKTOP],
        ['phone', PHONE],
      ] as const) {
        const shot = (page: Page, what: string) =>
          page.screenshot({ path: path.join(SCREENSHOTS_DIR, `accounts-${what}-${name}.png`), fullPage: true });
        const { page } = await openConsole(viewport);
        await shot(page, 'sign-in');

        await signIn(page, ada);
        await live(page).waitFor({ timeout: 15_000 });
        await page.getByRole('button', { name: /^Workspace:/ }).click();
        await page.getByRole('list', { name: 'Your workspaces' }).waitFor();
        await page.screenshot({ path: path.join(SCREENSHOTS_DIR, `accounts-switcher-${name}.png`) });
        await page.keyboard.press('Escape');

        await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Members' }).click();
        await page.getByLabel('Role of Katherine Johnson').waitFor();
        await shot(page, 'members');

        await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'API keys' }).click();
        await page.getByRole('button', { name: 'Revoke billing service' }).waitFor();
        await page.getByLabel('Name').fill('ci runner');
        await page.getByRole('button', { name: 'Create key' }).click();
        await page.getByLabel('New API key').waitFor();
        await shot(page, 'api-keys');
      }
    },
    90_000,
  );
});
