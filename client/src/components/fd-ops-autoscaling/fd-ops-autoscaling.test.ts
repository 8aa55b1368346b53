import type { Page } from 'playwright-core';
import type { Fixture } from '../../../test/support/browser';
import { fixturePages } from '../../../test/support/fixture-pages';
import { POLICY_AUTOSCALING, kubernetesAutoscaling } from '../../../test/support/ops-factory';

let fixture: Fixture;

// The component alone: the test hands it an `autoscaling` reading and the server time with
// `window.show(autoscaling, now)`.
const FIXTURE_SCRIPT = `
  import './components/fd-ops-autoscaling/fd-ops-autoscaling.component';

  const view = document.createElement('fd-ops-autoscaling');
  document.body.append(view);
  (window as unknown as Record<string, unknown>).show = (autoscaling: never, now: number) => {
    view.autoscaling = autoscaling;
    view.now = now;
  };
`;

const NOW = Date.UTC(2026, 11, 7, 17, 0, 0);

const KUBERNETES_AUTOSCALING = kubernetesAutoscaling(NOW);

const pages = fixturePages(FIXTURE_SCRIPT);

async function show(autoscaling: unknown): Promise<Page> {
  fixture = await pages.open();
  const { page } = fixture;
  await page.waitForFunction(() => 'show' in window);
  await page.evaluate(
    ({ autoscaling, now }) => (window as unknown as { show: (a: unknown, n: number) => void }).show(autoscaling, now),
    { autoscaling, now: NOW },
  );
  return page;
}

const card = (page: Page, name: string) => page.getByRole('article', { name: new RegExp(`^${name} `) });

describe('fd-ops-autoscaling', () => {
  it("inside Kubernetes: per ScaledObject, the HPA's ask against the Deployment's ready pods, KEDA's state and events", async () => {
    const page = await show(KUBERNETES_AUTOSCALING);
    const section = page.getByRole('region', { name: 'Autoscaling' });
    await section.getByText('Source: Kubernetes (KEDA/HPA)').waitFor();
    await section
      .getByText("Kubernetes: KEDA's ScaledObjects in namespace flightdeck, their HPAs and Deployments. Read 2 s ago.")
      .waitFor();
    await expect(page.getByRole('heading', { level: 4 }).allInnerTexts()).resolves.toEqual([
      expect.stringMatching(/^flightdeck-worker\s+Deployment flightdeck-worker$/),
      expect.stringMatching(/^flightdeck-worker-image\s+Deployment flightdeck-worker-image$/),
    ]);

    const worker = card(page, 'flightdeck-worker');
    await worker.getByText('4 desired, 2 ready (2 short).').waitFor();
    const figures = await worker
      .locator('.figure')
      .evaluateAll((nodes) =>
        nodes.map((node) => [node.querySelector('dt')!.textContent, node.querySelector('dd')!.textContent]),
      );
    expect(figures).toEqual([
      ['HPA desired', '4'],
      ['HPA current', '2'],
      ['Deployment replicas', '4'],
      ['Ready', '2'],
      ['Range', '0–10'],
      ['Queues', 'demo, http'],
    ]);
    // The state in words (a mark beside each, hidden from screen readers); "not paused" is not worth a word.
    const state = worker.getByRole('list', { name: 'State of flightdeck-worker' });
    await expect(state.getByRole('listitem').allInnerTexts()).resolves.toEqual([
      expect.stringMatching(/Ready$/),
      expect.stringMatching(/Active$/),
      expect.stringMatching(/Fallback active$/),
    ]);
    await expect(state.locator('[data-condition="Fallback"]').getAttribute('class')).resolves.toContain(
      'condition--warn',
    );
    await expect(worker.locator('.latest').innerText()).resolves.toBe(
      'Latest KEDA event: KEDAScaleTargetActivated — Scaled apps/v1.Deployment flightdeck/flightdeck-worker from 0 to 1, triggered by redisScaler 30 s ago',
    );

    // The rest behind a disclosure, from the keyboard.
    const details = worker.getByText('2 earlier events and what KEDA says');
    await expect(worker.getByRole('list', { name: /^Earlier KEDA events/ }).isVisible()).resolves.toBe(false);
    await details.focus();
    await page.keyboard.press('Enter');
    const earlier = worker.getByRole('list', { name: 'Earlier KEDA events of flightdeck-worker, newest first' });
    // Read out as: "Warning: KEDAScalerFailed — …" (the ⚠ beside it is hidden from screen readers).
    const texts = await earlier.getByRole('listitem').evaluateAll((items) =>
      items.map((item) => {
        const copy = item.cloneNode(true) as Element;
        copy.querySelectorAll('[aria-hidden="true"]').forEach((hidden) => hidden.remove());
        return copy.textContent!.replace(/\s+/g, ' ').trim();
      }),
    );
    expect(texts).toEqual([
      'Warning: KEDAScalerFailed — error inspecting prometheus metrics 1 min 30 s ago, 3 times',
      'KEDAScalersStarted — Scaler redis is built. 10 min ago',
    ]);
    await worker
      .getByRole('list', { name: 'Conditions of flightdeck-worker' })
      .getByText('Scaling is performed because triggers are active — since 1 min 5 s ago')
      .waitFor();

    const image = card(page, 'flightdeck-worker-image');
    await image.getByText('0 desired, 0 ready (as desired).').waitFor();
    await image.getByText("KEDA has not reported this ScaledObject's state yet.").waitFor();
    await image.getByText('No recent KEDA event.').waitFor();
    await expect(image.locator('details').count()).resolves.toBe(0);
    await expect(page.getByRole('alert').count()).resolves.toBe(0);
    expect(fixture.problems).toEqual([]);
  });

  it("says when the Kubernetes API refuses, keeping the last reading; with none, Flightdeck's policy", async () => {
    const error =
      'scaledobjects.keda.sh is forbidden: User "system:serviceaccount:flightdeck:flightdeck" cannot list resource "scaledobjects" (HTTP 403)';
    const page = await show({ ...KUBERNETES_AUTOSCALING, error });
    await page
      .getByRole('alert')
      .getByText(`The Kubernetes API could not be read (showing the last reading): ${error}`)
      .waitFor();
    await card(page, 'flightdeck-worker').waitFor();

    await page.evaluate(
      ({ autoscaling, now }) => (window as unknown as { show: (a: unknown, n: number) => void }).show(autoscaling, now),
      {
        autoscaling: {
          ...KUBERNETES_AUTOSCALING,
          source: 'policy',
          reason: "Flightdeck's scaling policy: the Kubernetes API could not be read yet.",
          readAt: null,
          error,
          scaledObjects: [],
        },
        now: NOW,
      },
    );
    await page.getByText("Source: Flightdeck's policy").waitFor();
    await page.getByRole('alert').getByText(`The Kubernetes API could not be read: ${error}`).waitFor();
    await expect(page.getByRole('article').count()).resolves.toBe(0);
  });

  it("outside Kubernetes: Flightdeck's policy, and why", async () => {
    const page = await show(POLICY_AUTOSCALING);
    await page.getByText("Source: Flightdeck's policy").waitFor();
    await page.getByText("Flightdeck's scaling policy: not running in Kubernetes.").waitFor();
    await page.getByText(/Worker replicas desired are what Flightdeck's scaling policy computes/).waitFor();
    await expect(page.getByRole('alert').count()).resolves.toBe(0);
  });

  it('says when no Flightdeck ScaledObject is in the namespace', async () => {
    const page = await show({ ...KUBERNETES_AUTOSCALING, scaledObjects: [] });
    await page
      .getByText('No ScaledObject labelled app.kubernetes.io/part-of=flightdeck in namespace flightdeck.')
      .waitFor();
  });
});
