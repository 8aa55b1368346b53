import type { Page } from 'playwright-core';
import type { Fixture } from '../../../test/support/browser';
import type { FakeServer } from '../../../test/support/fake-server';
import { fixturePages } from '../../../test/support/fixture-pages';

let fixture: Fixture;

// The members page of workspace "acme" over a scripted API; the test says who is looking
// (`window.setUp({ access, currentUserId })`) after scripting the answers.
const FIXTURE_SCRIPT = `
  import './components/fd-members-settings/fd-members-settings.component';
  import { appendOnSetUp, scriptedApi } from '../test/support/scripted-page';

  appendOnSetUp('fd-members-settings', { 'workspace-name': 'Acme' }, { api: scriptedApi('acme').api });
`;

const member = (userId: string, name: string, role: string) => ({
  userId,
  email: `${userId}@example.com`,
  name,
  role,
  addedAt: '2026-03-01T10:00:00.000Z',
});
const MEMBERS = [
  member('olga', 'Olga Owner', 'owner'),
  member('adam', 'Adam Admin', 'admin'),
  member('mia', 'Mia Member', 'member'),
  member('vic', 'Vic Viewer', 'viewer'),
];

const pages = fixturePages(FIXTURE_SCRIPT);

type Access = { kind: 'member'; role: string } | { kind: 'api-key'; scopes: string[] };

async function open(access: Access, currentUserId: string | null, answers: FakeServer['answers'] = {}): Promise<Page> {
  fixture = await pages.openSetUp(
    { 'GET /v1/members': { status: 200, body: { items: MEMBERS } }, ...answers },
    { access, currentUserId },
  );
  await fixture.page.getByRole('table', { name: 'Members of Acme' }).waitFor();
  return fixture.page;
}

const row = (page: Page, userId: string) => page.locator(`tr[data-user-id="${userId}"]`);
const requests = () => fixture.page.evaluate(() => (window as unknown as { server: FakeServer }).server.requests);
const optionsOf = (page: Page, label: string) =>
  page
    .getByLabel(label, { exact: true })
    .evaluate((select) => [...(select as HTMLSelectElement).options].map((option) => option.value));

describe('fd-members-settings', () => {
  it('shows viewers and members the list only: no add form, no role controls, no remove buttons', async () => {
    for (const role of ['viewer', 'member']) {
      const page = await open({ kind: 'member', role }, 'vic');
      await expect(page.getByRole('row').count()).resolves.toBe(5);
      await expect(row(page, 'adam').getByRole('rowheader').textContent()).resolves.toContain('Adam Admin');
      await expect(row(page, 'adam').textContent()).resolves.toContain('adam@example.com');
      await expect(row(page, 'adam').textContent()).resolves.toContain('Admin');
      await expect(page.getByRole('heading', { name: 'Add a member' }).count()).resolves.toBe(0);
      await expect(page.getByRole('combobox').count()).resolves.toBe(0);
      await expect(page.getByRole('button', { name: /^Remove/ }).count()).resolves.toBe(0);
      await page.getByText('Only admins and owners can add or change members.').waitFor();
      await expect(row(page, 'vic').textContent()).resolves.toContain('you');
      await fixture.context.close();
    }
  });

  it('lets admins manage admins, members and viewers, but not owners or themselves, and never give the owner role', async () => {
    const page = await open({ kind: 'member', role: 'admin' }, 'adam');
    await page.getByRole('heading', { name: 'Add a member' }).waitFor();
    await expect(optionsOf(page, 'Role')).resolves.toEqual(['admin', 'member', 'viewer']);
    await expect(optionsOf(page, 'Role of Mia Member')).resolves.toEqual(['admin', 'member', 'viewer']);
    await expect(page.getByLabel('Role of Mia Member').inputValue()).resolves.toBe('member');
    await page.getByRole('button', { name: 'Remove Vic Viewer' }).waitFor();
    // The owner's row and the admin's own row have no controls.
    await expect(row(page, 'olga').getByRole('combobox').count()).resolves.toBe(0);
    await expect(row(page, 'olga').getByRole('button').count()).resolves.toBe(0);
    await expect(row(page, 'adam').getByRole('combobox').count()).resolves.toBe(0);
    await expect(row(page, 'adam').getByRole('button').count()).resolves.toBe(0);
  });

  it('lets owners make owners', async () => {
    const page = await open({ kind: 'member', role: 'owner' }, 'olga');
    await expect(optionsOf(page, 'Role')).resolves.toEqual(['owner', 'admin', 'member', 'viewer']);
    await expect(optionsOf(page, 'Role of Adam Admin')).resolves.toEqual(['owner', 'admin', 'member', 'viewer']);
  });

  it('treats an API key with the admin scope as an admin, and one without it as read-only', async () => {
    let page = await open({ kind: 'api-key', scopes: ['admin'] }, null);
    await expect(optionsOf(page, 'Role of Adam Admin')).resolves.toEqual(['admin', 'member', 'viewer']);
    await expect(row(page, 'olga').getByRole('combobox').count()).resolves.toBe(0);
    await fixture.context.close();
    page = await open({ kind: 'api-key', scopes: ['jobs:read', 'jobs:write'] }, null);
    await expect(page.getByRole('combobox').count()).resolves.toBe(0);
  });

  it('changes a role with PATCH, and puts the old one back when the server refuses', async () => {
    const page = await open({ kind: 'member', role: 'owner' }, 'olga', {
      'PATCH /v1/members/mia': { status: 200, body: member('mia', 'Mia Member', 'admin') },
      'PATCH /v1/members/adam': {
        status: 409,
        body: { error: { code: 'last_owner', message: 'a workspace needs an owner: make someone else owner first' } },
      },
    });
    await page.getByLabel('Role of Mia Member').selectOption('admin');
    await page.getByRole('status').getByText('Mia Member is now Admin.').waitFor();
    await page.getByLabel('Role of Adam Admin').selectOption('viewer');
    await page
      .getByRole('alert')
      .getByText('The role of Adam Admin was not changed: A workspace needs an owner: make someone else owner first.')
      .waitFor();
    await expect(page.getByLabel('Role of Adam Admin').inputValue()).resolves.toBe('admin');
    await expect(requests()).resolves.toMatchObject([
      { method: 'GET', path: '/v1/members', headers: { 'x-workspace': 'acme' } },
      { method: 'PATCH', path: '/v1/members/mia', body: { role: 'admin' }, headers: { 'x-workspace': 'acme' } },
      { method: 'PATCH', path: '/v1/members/adam', body: { role: 'viewer' } },
    ]);
  });

  it('removes a member only after a confirmation, which Cancel and Escape decline', async () => {
    const page = await open({ kind: 'member', role: 'admin' }, 'adam', { 'DELETE /v1/members/vic': { status: 204 } });
    const remove = page.getByRole('button', { name: 'Remove Vic Viewer' });
    await remove.click();
    const dialog = page.getByRole('dialog', { name: 'Remove Vic Viewer?' });
    await dialog.waitFor();
    await dialog.getByText('Vic Viewer (vic@example.com) loses access to Acme at once.', { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // Focus goes back to the button that opened it.
    await expect(
      remove.evaluate((button) => button === (button.getRootNode() as ShadowRoot).activeElement),
    ).resolves.toBe(true);

    await remove.press('Enter');
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await expect((await requests()).filter((request) => request.method === 'DELETE')).toEqual([]);

    await remove.click();
    await dialog.getByRole('button', { name: 'Remove member' }).click();
    await page.getByRole('status').getByText('Removed Vic Viewer.').waitFor();
    await expect(row(page, 'vic').count()).resolves.toBe(0);
    await expect(requests()).resolves.toContainEqual(
      expect.objectContaining({ method: 'DELETE', path: '/v1/members/vic' }),
    );
  });

  it('adds a member by email with a role, and says why when the server cannot', async () => {
    const page = await open({ kind: 'member', role: 'admin' }, 'adam', {
      'POST /v1/members': [
        {
          status: 404,
          body: { error: { code: 'user_not_found', message: 'no account has this email; ask them to sign up first' } },
        },
        { status: 201, body: member('nia', 'Nia New', 'viewer') },
      ],
    });
    await page.getByRole('button', { name: 'Add member' }).click();
    await page.getByText('Enter an email address.').waitFor();

    await page.getByLabel('Email').fill('nia@example.com');
    await page.getByLabel('Role', { exact: true }).selectOption('viewer');
    await page.getByText('Sees jobs, queues and members.').waitFor();
    await page.getByRole('button', { name: 'Add member' }).click();
    await page.getByText('No account has this email; ask them to sign up first.', { exact: false }).waitFor();
    await expect(page.getByLabel('Email').getAttribute('aria-invalid')).resolves.toBe('true');

    await page.getByRole('button', { name: 'Add member' }).click();
    await page.getByRole('status').getByText('Added Nia New as Viewer.').waitFor();
    await row(page, 'nia').waitFor();
    await expect(page.getByLabel('Email').inputValue()).resolves.toBe('');
    await expect((await requests()).filter((request) => request.method === 'POST')).toMatchObject([
      { path: '/v1/members', body: { email: 'nia@example.com', role: 'viewer' } },
      { path: '/v1/members', body: { email: 'nia@example.com', role: 'viewer' } },
    ]);
    expect(fixture.problems).toEqual([]);
  });
});
