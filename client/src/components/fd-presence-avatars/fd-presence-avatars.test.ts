import type { Page } from 'playwright-core';
import type { Fixture } from '../../../test/support/browser';
import { fixturePages } from '../../../test/support/fixture-pages';

let fixture: Fixture;

const PEOPLE = ['Ada Lovelace', 'Bob Builder', 'Cy Young', 'Dee Dee Ramone', 'Eve Online', 'Fay Wray'].map(
  (name, index) => ({ id: `user_${index}`, name }),
);

const pages = fixturePages(`import './components/fd-presence-avatars/fd-presence-avatars.component';`);
beforeEach(async () => {
  fixture = await pages.open({ body: '<fd-presence-avatars></fd-presence-avatars>' });
});

const show = (page: Page, people: { id: string; name: string }[], attributes: Record<string, string> = {}) =>
  page.evaluate(
    ([list, attrs]) => {
      const avatars = document.querySelector('fd-presence-avatars')!;
      for (const [name, value] of Object.entries(attrs)) avatars.setAttribute(name, value);
      avatars.people = list;
      return avatars.updateComplete;
    },
    [people, attributes] as const,
  );

describe('fd-presence-avatars', () => {
  it('shows nothing, and takes no width, when nobody is there', async () => {
    const { page } = fixture;
    await show(page, []);
    await expect(page.getByRole('list').count()).resolves.toBe(0);
    const box = await page.locator('fd-presence-avatars').boundingBox();
    expect(box?.width).toBe(0);
  });

  it('shows each person as initials in a coloured circle, named for screen readers and in a tooltip', async () => {
    const { page } = fixture;
    await show(page, PEOPLE.slice(0, 2), { label: 'Also viewing' });
    const list = page.getByRole('list', { name: 'Also viewing: Ada Lovelace and Bob Builder' });
    await list.waitFor();
    const items = list.getByRole('listitem');
    await expect(items.count()).resolves.toBe(2);
    await expect(items.first().getAttribute('title')).resolves.toBe('Ada Lovelace');
    await expect(items.first().textContent()).resolves.toMatch(/AL\s*Ada Lovelace/);
    // Initials are for the eye only; the name is what is read.
    await expect(items.first().locator('[aria-hidden="true"]').textContent()).resolves.toBe('AL');
    const [first, second] = await items.evaluateAll((elements) =>
      elements.map((element) => getComputedStyle(element).backgroundColor),
    );
    expect(first).toMatch(/^rgb/);
    expect(first).not.toBe(second);
  });

  it('gives the same person the same colour wherever they show', async () => {
    const { page } = fixture;
    await show(page, [PEOPLE[2]!]);
    const colour = await page.getByRole('listitem').evaluate((element) => getComputedStyle(element).backgroundColor);
    await show(page, [PEOPLE[0]!, PEOPLE[2]!]);
    const again = await page
      .getByRole('listitem')
      .nth(1)
      .evaluate((element) => getComputedStyle(element).backgroundColor);
    expect(again).toBe(colour);
  });

  it('folds everyone beyond `max` into a "+N" circle that names them', async () => {
    const { page } = fixture;
    await show(page, PEOPLE);
    const items = page.getByRole('listitem');
    await expect(items.count()).resolves.toBe(4);
    const more = items.last();
    await expect(more.locator('[aria-hidden="true"]').textContent()).resolves.toBe('+3');
    await expect(more.getAttribute('title')).resolves.toBe('Dee Dee Ramone, Eve Online and Fay Wray');
    await expect(more.textContent()).resolves.toContain('and 3 more');
    await expect(
      page.getByRole('list', { name: /^Also viewing: Ada Lovelace, Bob Builder, .* and Fay Wray$/ }).count(),
    ).resolves.toBe(1);

    // One too many shows that one person rather than "+1".
    await show(page, PEOPLE.slice(0, 4));
    await expect(items.count()).resolves.toBe(4);
    await expect(page.getByText('+1').count()).resolves.toBe(0);

    await show(page, PEOPLE, { max: '5' });
    await expect(items.count()).resolves.toBe(6);
    expect(fixture.problems).toEqual([]);
  });

  it('keeps the same height with and without people, so rows do not move', async () => {
    const { page } = fixture;
    await page.evaluate(() => (document.body.style.display = 'flex'));
    await show(page, []);
    const empty = await page.locator('fd-presence-avatars').boundingBox();
    await show(page, PEOPLE.slice(0, 1));
    const full = await page.locator('fd-presence-avatars').boundingBox();
    expect(empty?.height).toBeCloseTo(full!.height, 0);
  });
});
