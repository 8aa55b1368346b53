import type { Fixture } from '../../../test/support/browser';
import { fixturePages } from '../../../test/support/fixture-pages';

let fixture: Fixture;

// The form alone; `window.seen` collects the `fd-connect` keys and `toggle`s it fires.
const FIXTURE_SCRIPT = `
  import './components/fd-connect-form/fd-connect-form.component';

  const page = window as unknown as { seen: string[] };
  page.seen = [];
  document.body.innerHTML = '<fd-connect-form></fd-connect-form>';
  const form = document.querySelector('fd-connect-form')!;
  form.addEventListener('fd-connect', (event) => page.seen.push('connect ' + event.detail.key));
  form.addEventListener('toggle', () => page.seen.push('toggle ' + form.open));
`;

const pages = fixturePages(FIXTURE_SCRIPT);

beforeEach(async () => {
  fixture = await pages.open();
});

const seen = () => fixture.page.evaluate(() => (window as unknown as { seen: string[] }).seen);
const focusedId = () =>
  fixture.page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return active?.id;
  });

describe('fd-connect-form', () => {
  it('opens on demand, refuses an empty key where it is typed, and hands on a trimmed key', async () => {
    const { page } = fixture;
    await expect(page.getByLabel('API key').isVisible()).resolves.toBe(false);
    await page.getByText('Connect with an API key').click();
    await page.getByLabel('API key').waitFor();

    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByRole('alert').getByText('Enter an API key.').waitFor();
    await expect(focusedId()).resolves.toBe('api-key');
    await expect(page.getByLabel('API key').getAttribute('aria-invalid')).resolves.toBe('true');

    await page.getByLabel('API key').fill('  fd_typed_key ');
    await page.getByLabel('API key').press('Enter');
    await expect(seen()).resolves.toEqual(['toggle true', 'connect fd_typed_key']);
    expect(fixture.problems).toEqual([]);
  });

  it('shows why the last key did not work, open when told, and focuses its field', async () => {
    const { page } = fixture;
    await page.evaluate(() => {
      const form = document.querySelector('fd-connect-form')!;
      form.error = 'That API key was refused. Invalid or revoked API key.';
      form.open = true;
    });
    await page.getByRole('alert').getByText('That API key was refused.', { exact: false }).waitFor();
    await page.evaluate(() => document.querySelector('fd-connect-form')!.focus());
    await expect(focusedId()).resolves.toBe('api-key');
    await page.getByText('Connect with an API key').click();
    await page.waitForFunction(() => document.querySelector('fd-connect-form')!.open === false);
    await expect(seen()).resolves.toEqual(['toggle false']);
  });
});
