import type { Fixture } from '../../../test/support/browser';
import { fixturePages } from '../../../test/support/fixture-pages';

let fixture: Fixture;

// fd-toasts on a page; anything on the page asks for a toast with the fd-toast event, as in the console.
// `window.undone` counts Undo clicks.
const FIXTURE_SCRIPT = `
  import './components/fd-toasts/fd-toasts.component';
  import { toastEvent } from './events/fd-toast';

  const page = window as unknown as Record<string, unknown>;
  page.undone = 0;
  const toasts = document.createElement('fd-toasts');
  document.body.append(toasts);
  document.addEventListener('fd-toast', (event) => toasts.show(event.detail));
  page.toast = (message: string, options: Record<string, unknown> = {}) => {
    const action = options.undo ? { label: 'Undo', run: () => { page.undone = (page.undone as number) + 1; } } : undefined;
    document.body.dispatchEvent(toastEvent({ message, ...options, ...(action ? { action } : {}) }));
  };
`;

const pages = fixturePages(FIXTURE_SCRIPT);

async function open(viewport = { width: 1280, height: 800 }) {
  fixture = await pages.open({ body: '<main><p>The page</p></main>' });
  await fixture.page.setViewportSize(viewport);
  return fixture.page;
}

const toast = (message: string, options: Record<string, unknown> = {}) =>
  fixture.page.evaluate(
    ({ message, options }) => (window as unknown as { toast: (m: string, o: unknown) => void }).toast(message, options),
    { message, options },
  );
const messages = () => fixture.page.locator('fd-toasts li').allTextContents();
const region = () => fixture.page.getByRole('list', { name: 'Notifications' });

describe('fd-toasts', () => {
  it('shows each toast in a polite live region, stacked oldest first, and dismisses one', async () => {
    const page = await open();
    await expect(page.locator('fd-toasts ol').getAttribute('aria-live')).resolves.toBe('polite');
    await toast('Bob retried demo.sleep 1GPX20JT');
    await toast('The view was not deleted. Forbidden.', { tone: 'error' });
    await region().getByText('Bob retried demo.sleep 1GPX20JT').waitFor();
    const items = region().getByRole('listitem');
    await expect(items.count()).resolves.toBe(2);
    await expect(items.nth(1).textContent()).resolves.toContain('Error: The view was not deleted.');

    await page.getByRole('button', { name: 'Dismiss: Bob retried demo.sleep 1GPX20JT' }).click();
    await expect(items.count()).resolves.toBe(1);
    expect(fixture.problems).toEqual([]);
  });

  it('hides by itself, but not while the pointer is on it', async () => {
    const page = await open();
    await toast('Short-lived', { durationMs: 1_000 });
    await region().getByText('Short-lived').waitFor();
    await region().getByText('Short-lived').waitFor({ state: 'detached', timeout: 5_000 });

    // Long enough to be pointed at even on a busy machine; then pointed at for longer than that.
    await toast('Being read', { durationMs: 1_500 });
    await region().getByText('Being read').hover();
    await page.waitForTimeout(2_500);
    await expect(region().getByText('Being read').count()).resolves.toBe(1);
    await page.mouse.move(5, 5);
    // After the pointer leaves, at least a short grace period, then it goes.
    await region().getByText('Being read').waitFor({ state: 'detached', timeout: 8_000 });
  });

  it('runs its action once and closes', async () => {
    const page = await open();
    await toast('2 retried, 1 not retryable.', { tone: 'success', undo: true });
    await region().getByRole('button', { name: 'Undo' }).click();
    await region().getByText('2 retried').waitFor({ state: 'detached' });
    await expect(page.evaluate(() => (window as unknown as { undone: number }).undone)).resolves.toBe(1);
  });

  it('keeps the newest few when many come at once', async () => {
    await open();
    for (let n = 1; n <= 6; n++) await toast(`Toast ${n}`);
    await expect(messages()).resolves.toEqual(
      ['Toast 3', 'Toast 4', 'Toast 5', 'Toast 6'].map((text) => expect.stringContaining(text)),
    );
  });

  it('sits bottom right on wide screens and at the top on phones', async () => {
    let page = await open();
    await toast('Where am I?');
    let box = (await region().getByRole('listitem').boundingBox())!;
    expect(box.y + box.height).toBeGreaterThan(700);
    expect(box.x).toBeGreaterThan(800);
    await fixture.context.close();

    page = await open({ width: 390, height: 844 });
    await toast('Where am I?');
    box = (await region().getByRole('listitem').boundingBox())!;
    expect(box.y).toBeLessThan(40);
    expect(box.width).toBeGreaterThan(360);
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(390);
  });
});
