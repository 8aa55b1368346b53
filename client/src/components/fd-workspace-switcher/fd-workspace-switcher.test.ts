import type { Fixture } from '../../../test/support/browser';
import type { FakeServer } from '../../../test/support/fake-server';
import { fixturePages } from '../../../test/support/fixture-pages';

let fixture: Fixture;

// The switcher in a page header, with three workspaces and a scripted API for creating one.
const FIXTURE_SCRIPT = `
  import './components/fd-workspace-switcher/fd-workspace-switcher.component';
  import { scriptedApi } from '../test/support/scripted-page';

  const page = window as unknown as Record<string, unknown>;
  page.created = [];
  document.body.innerHTML = '<header><fd-workspace-switcher current="payments" can-create></fd-workspace-switcher></header><main></main>';
  const switcher = document.querySelector('fd-workspace-switcher')!;
  switcher.workspaces = [
    { id: 'w1', slug: 'payments', name: 'Payments', role: 'admin' },
    { id: 'w2', slug: 'search', name: 'Search', role: 'viewer' },
    { id: 'w3', slug: 'ml', name: 'Machine learning', role: 'owner' },
  ];
  switcher.api = scriptedApi().api;
  document.addEventListener('fd-workspace-created', (event) => (page.created as unknown[]).push(event.detail.workspace));
`;

const pages = fixturePages(FIXTURE_SCRIPT);

beforeEach(async () => {
  fixture = await pages.open();
  await toggle().waitFor();
});

const toggle = () => fixture.page.getByRole('button', { name: /^Workspace:/ });
const focusedText = () =>
  fixture.page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return active?.textContent?.replace(/\s+/g, ' ').trim();
  });

describe('fd-workspace-switcher', () => {
  it('shows the current workspace and role, and lists every workspace with its role as a link to /w/<slug>', async () => {
    const { page } = fixture;
    await expect(toggle().textContent()).resolves.toMatch(/Payments\s*Admin/);
    await expect(toggle().getAttribute('aria-expanded')).resolves.toBe('false');
    await expect(page.getByRole('link').count()).resolves.toBe(0);

    await toggle().click();
    await expect(toggle().getAttribute('aria-expanded')).resolves.toBe('true');
    const links = page.getByRole('list', { name: 'Your workspaces' }).getByRole('link');
    await expect(links.count()).resolves.toBe(3);
    await expect(
      links.evaluateAll((all) => all.map((a) => [a.getAttribute('href'), a.textContent?.replace(/\s+/g, ' ').trim()])),
    ).resolves.toEqual([
      ['/w/payments', 'Payments Admin (current)'],
      ['/w/search', 'Search Viewer'],
      ['/w/ml', 'Machine learning Owner'],
    ]);
    await expect(links.first().getAttribute('aria-current')).resolves.toBe('page');
    await expect(links.nth(1).getAttribute('aria-current')).resolves.toBeNull();
  });

  it('works from the keyboard: opens into the list, Tab moves on, Escape closes and returns to the button', async () => {
    const { page } = fixture;
    await toggle().focus();
    await page.keyboard.press('Enter');
    await expect(focusedText()).resolves.toBe('Payments Admin (current)');
    await page.keyboard.press('Tab');
    await expect(focusedText()).resolves.toBe('Search Viewer');
    await page.keyboard.press('Escape');
    await expect(toggle().getAttribute('aria-expanded')).resolves.toBe('false');
    await expect(focusedText()).resolves.toMatch(/^Workspace: Payments/);

    // A click elsewhere closes it too.
    await page.keyboard.press('Space');
    await expect(toggle().getAttribute('aria-expanded')).resolves.toBe('true');
    await page.mouse.click(1100, 650);
    await expect(toggle().getAttribute('aria-expanded')).resolves.toBe('false');
  });

  it('creates a workspace and announces it with fd-workspace-created (its creator owns it)', async () => {
    const { page } = fixture;
    await page.evaluate(() => {
      (window as unknown as { server: FakeServer }).server.answers['POST /v1/workspaces'] = {
        status: 201,
        body: { id: 'w4', slug: 'data-platform', name: 'Data platform' },
      };
    });
    await toggle().click();
    await page.getByLabel('New workspace').fill('  Data platform ');
    await page.getByRole('button', { name: 'Create workspace' }).click();

    await page.waitForFunction(() => (window as unknown as { created: unknown[] }).created.length > 0);
    await expect(page.evaluate(() => (window as unknown as { created: unknown[] }).created)).resolves.toEqual([
      { id: 'w4', slug: 'data-platform', name: 'Data platform', role: 'owner' },
    ]);
    await expect(
      page.evaluate(() => (window as unknown as { server: FakeServer }).server.requests),
    ).resolves.toMatchObject([{ method: 'POST', path: '/v1/workspaces', body: { name: 'Data platform' } }]);
    await expect(toggle().getAttribute('aria-expanded')).resolves.toBe('false');
  });

  it('asks for a name before creating, and shows what the server refused', async () => {
    const { page } = fixture;
    await page.evaluate(() => {
      (window as unknown as { server: FakeServer }).server.answers['POST /v1/workspaces'] = {
        status: 403,
        body: { error: { code: 'forbidden', message: 'sign in as a person to do this; API keys cannot' } },
      };
    });
    await toggle().click();
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await page.getByText('Enter a name for the workspace.').waitFor();
    await expect(page.getByLabel('New workspace').getAttribute('aria-invalid')).resolves.toBe('true');

    await page.getByLabel('New workspace').fill('Ops');
    await page.getByLabel('New workspace').press('Enter');
    await page.getByRole('alert').getByText('Sign in as a person to do this; API keys cannot.').waitFor();
    expect(fixture.problems).toEqual([]);
  });

  it('offers no create form without can-create', async () => {
    const { page } = fixture;
    await page.evaluate(() => (document.querySelector('fd-workspace-switcher')!.canCreate = false));
    await toggle().click();
    await page.getByRole('list', { name: 'Your workspaces' }).waitFor();
    await expect(page.getByLabel('New workspace').count()).resolves.toBe(0);
  });
});
