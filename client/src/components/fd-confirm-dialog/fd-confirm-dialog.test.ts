import type { Fixture } from '../../../test/support/browser';
import { fixturePages } from '../../../test/support/fixture-pages';

let fixture: Fixture;

// A button that asks, and one that asks with an option; `window.answers` collects what each
// question resolved to.
const FIXTURE_SCRIPT = `
  import './components/fd-confirm-dialog/fd-confirm-dialog.component';

  const page = window as unknown as { answers: unknown[] };
  page.answers = [];
  document.body.innerHTML =
    '<button id="ask">Delete everything</button><button id="choose">Empty the bin</button><fd-confirm-dialog></fd-confirm-dialog>';
  document.querySelector('#ask')!.addEventListener('click', async () => {
    const answer = await document.querySelector('fd-confirm-dialog')!.ask({
      heading: 'Delete everything?',
      message: 'This cannot be undone.',
      confirmLabel: 'Delete',
    });
    page.answers.push(answer);
  });
  document.querySelector('#choose')!.addEventListener('click', async () => {
    const answer = await document.querySelector('fd-confirm-dialog')!.choose({
      heading: 'Empty the bin?',
      message: 'Its 3 files go for good.',
      confirmLabel: 'Empty',
      option: { label: 'Also the hidden files', checked: true, hint: 'Unchecked, they stay in the bin.' },
    });
    page.answers.push(answer);
  });
`;

const pages = fixturePages(FIXTURE_SCRIPT);

beforeEach(async () => {
  fixture = await pages.open();
});

/** The page's answers once there are `count` of them (a promise settles a moment after the dialog closes). */
async function answers(count: number): Promise<unknown[]> {
  await fixture.page.waitForFunction(
    (wanted) => (window as unknown as { answers: unknown[] }).answers.length >= wanted,
    count,
  );
  return fixture.page.evaluate(() => (window as unknown as { answers: unknown[] }).answers);
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

  it('offers an option as a labelled checkbox, and says how it was left when confirmed', async () => {
    const { page } = fixture;
    const choose = page.getByRole('button', { name: 'Empty the bin' });
    const dialog = page.getByRole('dialog', { name: 'Empty the bin?' });
    const option = dialog.getByRole('checkbox', { name: 'Also the hidden files' });

    await choose.click();
    await expect(option.isChecked()).resolves.toBe(true);
    await dialog.getByText('Unchecked, they stay in the bin.').waitFor();
    await expect(option.getAttribute('aria-describedby')).resolves.toBe('confirm-option-hint');
    await dialog.getByRole('button', { name: 'Empty' }).click();
    await expect(answers(1)).resolves.toEqual([{ option: true }]);

    // Unchecked from the keyboard (the option comes just before the safe choice), then confirmed.
    await choose.click();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Space');
    await expect(option.isChecked()).resolves.toBe(false);
    await dialog.getByRole('button', { name: 'Empty' }).click();
    await expect(answers(2)).resolves.toEqual([{ option: true }, { option: false }]);

    // Declined: no choice; and the next question starts from the request's state again.
    await choose.click();
    await expect(option.isChecked()).resolves.toBe(true);
    await page.keyboard.press('Escape');
    await expect(answers(3)).resolves.toEqual([{ option: true }, { option: false }, null]);

    // A plain question shows no checkbox.
    await page.getByRole('button', { name: 'Delete everything' }).click();
    await page.getByRole('dialog', { name: 'Delete everything?' }).waitFor();
    await expect(page.getByRole('checkbox').count()).resolves.toBe(0);
    expect(fixture.problems).toEqual([]);
  });
});
