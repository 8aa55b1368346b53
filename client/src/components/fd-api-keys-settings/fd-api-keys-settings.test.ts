import type { Page } from 'playwright-core';
import type { Fixture } from '../../../test/support/browser';
import type { FakeServer } from '../../../test/support/fake-server';
import { fixturePages } from '../../../test/support/fixture-pages';

let fixture: Fixture;

// The API keys page of workspace "acme" over a scripted API; the test says who is looking
// (`window.setUp({ access })`) after scripting the answers.
const FIXTURE_SCRIPT = `
  import './components/fd-api-keys-settings/fd-api-keys-settings.component';
  import { appendOnSetUp, scriptedApi } from '../test/support/scripted-page';

  appendOnSetUp('fd-api-keys-settings', { 'workspace-name': 'Acme' }, { api: scriptedApi('acme').api });
`;

const apiKey = (id: string, name: string, overrides: Record<string, unknown> = {}) => ({
  id,
  name,
  prefix: `fd_${id}`,
  scopes: ['jobs:read', 'jobs:write', 'queues:read'],
  createdAt: '2026-03-01T10:00:00.000Z',
  createdBy: { type: 'user', id: 'u1', name: 'Ada Lovelace' },
  lastUsedAt: null,
  revokedAt: null,
  ...overrides,
});
const KEYS = [
  apiKey('k1', 'billing service', { lastUsedAt: '2026-03-05T09:30:00.000Z' }),
  apiKey('k2', 'old deploy bot', { scopes: ['admin'], revokedAt: '2026-03-04T12:00:00.000Z', createdBy: null }),
];
const SECRET = 'fd_k3_9f8e7d6c5b4a39281706f5e4d3c2b1a0';

const pages = fixturePages(FIXTURE_SCRIPT);

async function open(role: string, answers: FakeServer['answers'] = {}): Promise<Page> {
  fixture = await pages.openSetUp(
    { 'GET /v1/api-keys': { status: 200, body: { items: KEYS } }, ...answers },
    { access: { kind: 'member', role } },
  );
  await fixture.page.getByRole('heading', { name: 'API keys' }).waitFor();
  return fixture.page;
}

const row = (page: Page, id: string) => page.locator(`tr[data-key-id="${id}"]`);
const requests = () => fixture.page.evaluate(() => (window as unknown as { server: FakeServer }).server.requests);
/** Everything the page shows or holds in its DOM, shadow roots included. */
const pageText = (page: Page) =>
  page.evaluate(() => {
    const host = document.querySelector('fd-api-keys-settings')!;
    const inputs = [...host.shadowRoot!.querySelectorAll('input')].map((input) => input.value);
    return `${host.shadowRoot!.innerHTML} ${inputs.join(' ')}`;
  });

describe('fd-api-keys-settings', () => {
  it('lists the keys with prefix, scopes, creation, last use and revocation', async () => {
    const page = await open('admin');
    await page.getByRole('table', { name: 'API keys of Acme' }).waitFor();
    const active = row(page, 'k1');
    await expect(active.getByRole('rowheader').textContent()).resolves.toContain('billing service');
    await expect(active.locator('.cell-prefix').textContent()).resolves.toBe('fd_k1…');
    await expect(active.locator('.cell-scopes').textContent()).resolves.toMatch(/jobs:read\s*jobs:write\s*queues:read/);
    await expect(active.locator('.cell-created').textContent()).resolves.toMatch(/Mar.*2026.*by Ada Lovelace/s);
    await expect(active.locator('.cell-used time').getAttribute('datetime')).resolves.toBe('2026-03-05T09:30:00.000Z');
    await active.getByRole('button', { name: 'Revoke billing service' }).waitFor();

    const revoked = row(page, 'k2');
    await expect(revoked.locator('.cell-used').textContent()).resolves.toContain('Never');
    await expect(revoked.locator('.cell-actions').textContent()).resolves.toMatch(/^\s*Revoked\s+\S.*2026\s*$/);
    await expect(revoked.locator('.cell-actions time').getAttribute('datetime')).resolves.toBe(
      '2026-03-04T12:00:00.000Z',
    );
    await expect(revoked.getByRole('button').count()).resolves.toBe(0);
  });

  it('shows a new key once, with a copy button and a warning, and never again after Done', async () => {
    const page = await open('admin', {
      'POST /v1/api-keys': {
        status: 201,
        body: { ...apiKey('k3', 'ci runner', { scopes: ['jobs:read', 'queues:read'] }), key: SECRET },
      },
    });
    // The default scopes are ticked.
    for (const [scope, checked] of [
      ['jobs:read', true],
      ['jobs:write', true],
      ['queues:read', true],
      ['queues:write', false],
      ['admin', false],
    ] as const)
      await expect(page.getByRole('checkbox', { name: new RegExp(`^${scope}`) }).isChecked()).resolves.toBe(checked);

    await page.getByLabel('Name').fill('ci runner');
    await page.getByRole('checkbox', { name: /^jobs:write/ }).uncheck();
    await page.getByRole('button', { name: 'Create key' }).click();

    const shown = page.getByRole('region', { name: 'Copy your new key “ci runner”' });
    await shown.waitFor();
    await expect(shown.getByLabel('New API key').inputValue()).resolves.toBe(SECRET);
    await shown.getByText('This is the only time the key is shown.').waitFor();
    // Focus moved to it, so keyboard and screen-reader users land on the key.
    await expect(
      page.evaluate(() => document.querySelector('fd-api-keys-settings')!.shadowRoot!.activeElement?.id),
    ).resolves.toBe('new-key-heading');
    await expect(requests()).resolves.toContainEqual(
      expect.objectContaining({
        method: 'POST',
        path: '/v1/api-keys',
        headers: expect.objectContaining({ 'x-workspace': 'acme' }),
        body: { name: 'ci runner', scopes: ['jobs:read', 'queues:read'] },
      }),
    );
    // The list has the new key, without its secret.
    await expect(row(page, 'k3').locator('.cell-prefix').textContent()).resolves.toBe('fd_k3…');

    await shown.getByRole('button', { name: 'Copy key' }).click();
    await page
      .getByRole('status')
      .getByText(/Copied to the clipboard\.|press Ctrl\+C/)
      .waitFor();

    await shown.getByRole('button', { name: 'Done, I have stored it' }).click();
    await shown.waitFor({ state: 'detached' });
    await expect(pageText(page)).resolves.not.toContain(SECRET);
    await page.getByRole('button', { name: 'Create key' }).waitFor();
    expect(fixture.problems).toEqual([]);
  });

  it('copies the key to the clipboard where the browser allows it', async () => {
    const page = await open('owner', {
      'POST /v1/api-keys': { status: 201, body: { ...apiKey('k3', 'ci runner'), key: SECRET } },
    });
    // The fixture page is plain http (no async clipboard API): stand one in, as on https.
    await page.evaluate(() => {
      Object.defineProperty(navigator, 'clipboard', {
        value: { writeText: async (text: string) => ((window as unknown as { copied: string }).copied = text) },
      });
    });
    await page.getByLabel('Name').fill('ci runner');
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByRole('button', { name: 'Copy key' }).click();
    await page.getByRole('status').getByText('Copied to the clipboard.').waitFor();
    await expect(page.evaluate(() => (window as unknown as { copied: string }).copied)).resolves.toBe(SECRET);
  });

  it('checks the name and scopes before sending, and shows what the server refused', async () => {
    const page = await open('admin', {
      'POST /v1/api-keys': {
        status: 422,
        body: {
          error: {
            code: 'validation_failed',
            message: 'invalid',
            issues: [{ path: 'name', message: 'Too big: expected string to have <=100 characters' }],
          },
        },
      },
    });
    for (const scope of ['jobs:read', 'jobs:write', 'queues:read'])
      await page.getByRole('checkbox', { name: new RegExp(`^${scope}`) }).uncheck();
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByText('Enter a name for the key.').waitFor();
    await page.getByText('Choose at least one scope.').waitFor();
    await expect((await requests()).filter((request) => request.method === 'POST')).toEqual([]);

    await page.getByLabel('Name').fill('x');
    await page.getByRole('checkbox', { name: /^admin/ }).check();
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByText('Too big: expected string to have <=100 characters.').waitFor();
    await expect(page.getByLabel('Name').getAttribute('aria-invalid')).resolves.toBe('true');
  });

  it('revokes a key after a confirmation and shows it revoked', async () => {
    const page = await open('admin', {
      'DELETE /v1/api-keys/k1': {
        status: 200,
        body: apiKey('k1', 'billing service', { revokedAt: '2026-03-06T08:00:00.000Z' }),
      },
    });
    await row(page, 'k1').getByRole('button', { name: 'Revoke billing service' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke “billing service”?' });
    await dialog.getByText('Programs using this key (fd_k1…) stop working at once', { exact: false }).waitFor();
    await expect(requests()).resolves.not.toContainEqual(expect.objectContaining({ method: 'DELETE' }));
    await dialog.getByRole('button', { name: 'Revoke key' }).click();
    await page.getByRole('status').getByText('Revoked “billing service”.').waitFor();
    await expect(row(page, 'k1').locator('.cell-actions').textContent()).resolves.toContain('Revoked');
    await expect(row(page, 'k1').locator('.cell-actions time').getAttribute('datetime')).resolves.toBe(
      '2026-03-06T08:00:00.000Z',
    );
    await expect(row(page, 'k1').getByRole('button').count()).resolves.toBe(0);
  });

  it('is closed to members and viewers, and asks the server for nothing', async () => {
    for (const role of ['member', 'viewer']) {
      const page = await open(role);
      await page.getByText('Only admins and owners can see and manage API keys.').waitFor();
      await expect(page.getByRole('button').count()).resolves.toBe(0);
      await expect(requests()).resolves.toEqual([]);
      await fixture.context.close();
    }
  });
});
