import type { ReactiveControllerHost } from 'lit';
import { ListResourceController } from './list-resource-controller';

const host = () =>
  ({
    addController: () => undefined,
    removeController: () => undefined,
    requestUpdate: () => undefined,
    updateComplete: Promise.resolve(true),
  }) as ReactiveControllerHost;

interface Api {
  list(): Promise<string[]>;
}

const api = (answer: () => Promise<string[]>): Api => ({ list: answer });

describe('ListResourceController', () => {
  const options = { read: (from: Api) => from.list(), failure: (message: string) => `Could not load: ${message}` };

  it('is loading (null) until the list is in, then holds it; the host changes it after its own actions', async () => {
    const list = new ListResourceController<Api, string>(host(), options);
    const loading = list.load(api(async () => ['a', 'b']));
    expect(list.items).toBeNull();
    await loading;
    expect(list.items).toEqual(['a', 'b']);
    list.set(['a']);
    expect(list.items).toEqual(['a']);
  });

  it('says why the list could not be read', async () => {
    const list = new ListResourceController<Api, string>(host(), options);
    await list.load(api(async () => Promise.reject(new Error('server away'))));
    expect(list).toMatchObject({ items: null, error: 'Could not load: server away' });
  });

  it('drops the answer for an API that was replaced meanwhile, and reads nothing without one or when not readable', async () => {
    const list = new ListResourceController<Api, string>(host(), options);
    let answerOld!: (items: string[]) => void;
    const old = list.load(api(() => new Promise((resolve) => (answerOld = resolve))));
    await list.load(api(async () => ['new']));
    answerOld(['old']);
    await old;
    expect(list.items).toEqual(['new']);

    await list.load(undefined);
    expect(list.items).toBeNull();
    let reads = 0;
    await list.load(
      api(async () => {
        reads++;
        return [];
      }),
      false,
    );
    expect({ items: list.items, reads }).toEqual({ items: null, reads: 0 });
  });
});
