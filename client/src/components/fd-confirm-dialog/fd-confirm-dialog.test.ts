import type { Browser } from 'playwright-core';
import { bundleForBrowser, launchChromium, openFixture, type Fixture } from '../../../test/support/browser';

let browser: Browser;
let script: string;
let fixture: Fixture;

// A button that asks; `window.answers` collects what each question resolved to.
const FIXTURE_SCRIPT = `
  import './components/fd-confirm-dialog/fd-confirm-dialog.component';

  const page = window as unknown as { answers: boolean[] };
  page.answers = [];
  document.body.innerHTML = '<button id="ask">Delete everything</button><fd-confirm-dialog></fd-confirm-dialog>';
  document.querySelector('#ask')!.addEventListener('click', async () => {
    const answer = await document.querySelector('fd-confirm-dialog')!.ask({
      heading: 'Delete everything?',
      message: 'This cannot be undone.',
      confirmLabel: 'Delete',
    });
    page.answers.push(answer);
  });
`;

beforeAll(async () => {
  [browser, script] = await Promise.all([launchChromium(), bundleForBrowser(FIXTURE_SCRIPT)]);
});
beforeEach(async () => {
  fixture = await openFixture(browser, { script });
});
afterEach(() => fixture.context.close());
afterAll(() => browser.close());

/** The page's answers once there are `count` of them (a promise settles a moment after the dialog closes). */
async function answers(count: number): Promise<boolean[]> {
  await fixture.page.waitForFunction(
    (wanted) => (window as unknown as { answers: boolean[] }).answers.length >= wanted,
    count,
  );
  return fixture.page.evaluate(() => (window as unknown as { answers: boolean[] }).answers);
}
const focused = () =>
  fixture.page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return active?.textContent?.trim();
  });

describe('fd-confirm-dialog', () => {
  it('asks in a modal dialog named by its heading, with the safe choice focused; Escape and Cancel decline', async () => {
    const { page } = fixture;
    const ask = page.getByRole('button', { name: 'Delete everything' });
    const dialog = page.getByRole('dialog', { name: 'Delete everything?' });

    await ask.click();
    await dialog.getByText('This cannot be undone.').waitFor();
    await expect(focused()).resolves.toBe('Cancel');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    // Focus goes back to the button that opened it (on the dialog's close event).
    await fixture.page.waitForFunction(() => {
      let active = document.activeElement;
      while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
      return active?.textContent?.trim() === 'Delete everything';
    });

    await ask.click();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect(answers(2)).resolves.toEqual([false, false]);
  });

  it('resolves true when confirmed, from the keyboard too', async () => {
    const { page } = fixture;
    await page.getByRole('button', { name: 'Delete everything' }).press('Enter');
    await page.keyboard.press('Tab');
    await expect(focused()).resolves.toBe('Delete');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await expect(answers(1)).resolves.toEqual([true]);
    expect(fixture.problems).toEqual([]);
  });
});
