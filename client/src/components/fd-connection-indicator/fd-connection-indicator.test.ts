import type { Fixture } from '../../../test/support/browser';
import { fixturePages } from '../../../test/support/fixture-pages';

let fixture: Fixture;

const pages = fixturePages(`import './components/fd-connection-indicator/fd-connection-indicator.component';`);

beforeEach(async () => {
  fixture = await pages.open({ body: '<fd-connection-indicator></fd-connection-indicator>' });
});

describe('fd-connection-indicator', () => {
  it('is a status region named after the connection state, and reads the state aloud when it changes', async () => {
    const { page } = fixture;
    await page.getByRole('status', { name: 'Realtime connection: connecting' }).waitFor();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Connecting…');

    for (const [state, text] of [
      ['live', 'Live'],
      ['reconnecting', 'Reconnecting…'],
      ['offline', 'Offline'],
    ] as const) {
      await page.evaluate((value) => (document.querySelector('fd-connection-indicator')!.state = value), state);
      const status = page.getByRole('status', { name: `Realtime connection: ${state}` });
      await status.waitFor();
      await expect(status.textContent()).resolves.toContain(text);
      await expect(page.locator('fd-connection-indicator').getAttribute('state')).resolves.toBe(state);
    }
  });

  it('adds why it is not live to its name and tooltip', async () => {
    const { page } = fixture;
    await page.evaluate(() => {
      const indicator = document.querySelector('fd-connection-indicator')!;
      indicator.state = 'offline';
      indicator.detail = 'Invalid or revoked API key.';
    });
    const status = page.getByRole('status', { name: 'Realtime connection: offline. Invalid or revoked API key.' });
    await status.waitFor();
    await expect(status.getAttribute('title')).resolves.toBe('Invalid or revoked API key.');
    expect(fixture.problems).toEqual([]);
  });
});
