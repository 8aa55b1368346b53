/**
 * The fair share in the ops view, in a real browser against a real Flightdeck (in this process, on
 * the test run's Redis and FerretDB): an operator sees every workspace and sets one's limits through
 * the console; the owner of that workspace sees their own line with the new limits, and nobody
 * else's. Needs the built console (client/dist).
 *
 * FLIGHTDECK_SCREENSHOTS=1 also writes docs/screenshots/fair-share-{desktop,phone}.png: the
 * operator's panel while three workspaces have work, one of them flooding.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { Person } from '../../backend/test/support/flightdeck-harness';
import { waitFor } from '../../backend/test/support/test-services';
import { consoleE2e, DESKTOP, PHONE, SCREENSHOTS_DIR } from '../test/support/console-e2e';

const e2e = consoleE2e();

/** Signs `person` in and opens the ops view of `slug` from its tab, down to the fair share. */
async function openFairShare(person: Person, slug = person.slug, viewport = DESKTOP) {
  const { page, problems } = await e2e.openAs(person, `/w/${slug}`, viewport);
  await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Ops' }).click();
  const panel = page.getByRole('region', { name: 'Fair share' });
  await panel.getByRole('table').waitFor({ timeout: 15_000 });
  return { page, panel, problems };
}

async function operatorNamed(name: string): Promise<Person> {
  const person = await e2e.app.signup(name);
  expect((await e2e.app.http.post('/v1/members', { email: person.user.email, role: 'admin' })).status).toBe(201);
  return { ...person, http: person.in('default') };
}

const row = (page: Page, workspaceId: string) => page.locator(`tr[data-workspace="${workspaceId}"]`);

describe('the fair share in the ops view', () => {
  (process.env.FLIGHTDECK_SCREENSHOTS === '1' ? it : it.skip)(
    'writes screenshots of the fair share (operator, three busy workspaces; desktop and phone) to docs/screenshots',
    async () => {
      mkdirSync(SCREENSHOTS_DIR, { recursive: true });
      const ada = await operatorNamed('Ada Lovelace');
      const [acme, globex] = [await e2e.app.signup('Acme'), await e2e.app.signup('Globex')];
      const limited = await ada.http.request('PUT', `/v1/workspaces/${acme.workspaceId}/limits`, {
        maxRunning: 20,
        maxPending: 50_000,
        weight: 1,
      });
      expect(limited.status).toBe(200);
      expect((await ada.http.request('PUT', `/v1/workspaces/${globex.workspaceId}/limits`, { weight: 3 })).status).toBe(
        200,
      );
      const views = [await openFairShare(ada, 'default', DESKTOP), await openFairShare(ada, 'default', PHONE)];
      const { page } = views[0]!;
      const jobs = (count: number, ms: number) =>
        Array.from({ length: count }, () => ({ type: 'demo.sleep', payload: { ms } }));
      // Acme floods; Globex (weight 3) and the operator's own workspace keep submitting.
      for (let batch = 0; batch < 4; batch++) {
        expect((await acme.http.post('/v1/jobs/batch', { jobs: jobs(500, 800) })).status).toBe(202);
      }
      for (let wave = 0; wave < 6; wave++) {
        expect((await globex.http.post('/v1/jobs/batch', { jobs: jobs(40, 1_500) })).status).toBe(202);
        expect((await ada.http.post('/v1/jobs/batch', { jobs: jobs(10, 1_500) })).status).toBe(202);
        await new Promise((resolve) => setTimeout(resolve, 2_000));
      }
      // Taken while every one of them has jobs running.
      for (const workspaceId of [acme.workspaceId, globex.workspaceId, e2e.app.workspaceId])
        await waitFor(`jobs of ${workspaceId} running`, async () =>
          /Running: [1-9]/.test((await row(page, workspaceId).locator('td').nth(1).textContent()) ?? ''),
        );
      for (const [index, name] of ['desktop', 'phone'].entries()) {
        const { page, panel, problems } = views[index]!;
        await row(page, acme.workspaceId).waitFor();
        await page.mouse.move(0, 0);
        await panel.screenshot({ path: path.join(SCREENSHOTS_DIR, `fair-share-${name}.png`) });
        expect(problems).toEqual([]);
      }
    },
    120_000,
  );

  it("lets an operator set a workspace's limits; its owner then sees them on their own line only", async () => {
    const olga = await operatorNamed('Olga Operator');
    const ann = await e2e.app.signup('Ann');
    const bob = await e2e.app.signup('Bob');
    const { page, panel, problems } = await openFairShare(olga, 'default');
    await row(page, ann.workspaceId).waitFor();
    await row(page, bob.workspaceId).waitFor();

    await panel.getByRole('button', { name: "Edit limits of Ann's workspace" }).click();
    const form = panel.getByRole('form', { name: "Limits of Ann's workspace" });
    await form.getByLabel('Running at once').fill('3');
    await form.getByLabel('Weight').fill('0');
    await form.getByRole('button', { name: 'Save limits' }).click();
    await form.getByText('Enter a whole number from 1 to 100, or leave it empty for the default.').waitFor();
    await form.getByLabel('Weight').fill('5');
    await form.getByRole('button', { name: 'Save limits' }).click();
    await panel.getByRole('status').getByText("Saved the limits of Ann's workspace.").waitFor();
    await row(page, ann.workspaceId).getByText('Running limit: 3').waitFor();

    // Stored, mirrored for the dispatcher, audited in both workspaces.
    const stored = (await olga.http.get('/v1/fair-share')).body.workspaces.find(
      (line: { workspaceId: string }) => line.workspaceId === ann.workspaceId,
    );
    expect(stored.limits).toEqual({ maxRunning: 3, maxPending: null, weight: 5 });
    const { version: _version, ...mirrored } = await e2e.app.redis.hgetall(e2e.app.keys.fairLimits(ann.workspaceId));
    expect(mirrored).toEqual({ maxRunning: '3', weight: '5' });
    const audit = (await ann.http.get('/v1/audit?action=workspace.limits_changed')).body.items;
    expect(audit).toMatchObject([
      { actor: { id: olga.user.id }, details: { after: { maxRunning: 3, maxPending: null, weight: 5 } } },
    ]);
    expect(problems).toEqual([]);

    // Ann, in her own workspace: her line, the limits an operator set, no way to change them.
    const own = await openFairShare(ann);
    await row(own.page, ann.workspaceId).getByText('Running limit: 3').waitFor();
    await expect(own.panel.locator('tbody tr').count()).resolves.toBe(1);
    await expect(own.panel.getByRole('button').count()).resolves.toBe(0);
    await expect(own.panel.textContent()).resolves.not.toContain('Bob');
    expect(own.problems).toEqual([]);
  });
});
