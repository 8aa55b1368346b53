import type { Browser } from 'playwright-core';
import { bundleForBrowser, launchChromium, openFixture, type Fixture } from '../../../test/support/browser';

// fd-app against no server at all: what it does before and around connecting. The live behaviour
// against a real Flightdeck is in client/e2e/live-jobs.e2e.test.ts.
let browser: Browser;
let script: string;
let fixture: Fixture | undefined;

beforeAll(async () => {
  [browser, script] = await Promise.all([
    launchChromium(),
    bundleForBrowser(`import './components/fd-app/fd-app.component';`),
  ]);
});
afterEach(() => fixture?.context.close());
afterAll(() => browser.close());

const open = async (path = '/') => (fixture = await openFixture(browser, { script, path, body: '<fd-app></fd-app>' }));
const storedKey = () => fixture!.page.evaluate(() => sessionStorage.getItem('flightdeck.apiKey'));

describe('fd-app', () => {
  it('asks for an API key when it has none, and says so when the field is left empty', async () => {
    const { page } = await open();
    const key = page.getByLabel('API key');
    await key.waitFor();
    await expect(key.getAttribute('type')).resolves.toBe('password');
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByRole('alert').getByText('Enter an API key.').waitFor();
    await expect(key.evaluate((input) => input === (input.getRootNode() as ShadowRoot).activeElement)).resolves.toBe(
      true,
    );
  });

  it('connects with a typed key, keeps it for the tab, and forgets it on Disconnect', async () => {
    const { page } = await open();
    await page.getByLabel('API key').fill('fd_typed_key');
    await page.getByLabel('API key').press('Enter');
    await page.getByRole('status', { name: /^Realtime connection: connecting/ }).waitFor();
    await page.getByRole('heading', { name: 'Submit a job' }).waitFor();
    await expect(storedKey()).resolves.toBe('fd_typed_key');

    await page.getByRole('button', { name: 'Disconnect' }).click();
    await page.getByLabel('API key').waitFor();
    await expect(storedKey()).resolves.toBeNull();
  });

  it('takes ?key= from the address, keeps it for the tab and removes it from the address', async () => {
    const { page } = await open('/w/default?key=fd_from_url&view=all');
    await page.getByRole('status', { name: /^Realtime connection: connecting/ }).waitFor();
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/w/default?view=all');
    await expect(storedKey()).resolves.toBe('fd_from_url');

    // A reload of the tab stays connected with the stored key.
    await page.reload();
    await page.getByRole('status', { name: /^Realtime connection: connecting/ }).waitFor();
  });

  it('has a skip link to the main area for keyboard users', async () => {
    const { page } = await open();
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    await expect(skip.evaluate((link) => link === (link.getRootNode() as ShadowRoot).activeElement)).resolves.toBe(
      true,
    );
    await page.keyboard.press('Enter');
    await expect(page.evaluate(() => document.querySelector('fd-app')!.shadowRoot!.activeElement?.id)).resolves.toBe(
      'main',
    );
    expect(fixture!.problems).toEqual([]);
  });
});
