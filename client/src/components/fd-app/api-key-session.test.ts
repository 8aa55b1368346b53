import { API_KEY_STORAGE_KEY, forgetApiKey, takeApiKey, type AddressBar, type KeyStorage } from './api-key-session';

function memoryStorage(initial: Record<string, string> = {}): KeyStorage & { data: Record<string, string> } {
  const data = { ...initial };
  return {
    data,
    getItem: (key) => data[key] ?? null,
    setItem: (key, value) => void (data[key] = value),
    removeItem: (key) => void delete data[key],
  };
}

function address(href: string): AddressBar & { replaced: string[] } {
  const replaced: string[] = [];
  return { href, replaced, replace: (url) => void replaced.push(url) };
}

describe('takeApiKey', () => {
  it('takes ?key=, saves it for the tab and removes it from the address, keeping the rest', () => {
    const storage = memoryStorage();
    const bar = address('http://localhost:8080/w/default?key=fd_abc&view=failed#top');
    expect(takeApiKey(storage, bar)).toBe('fd_abc');
    expect(storage.data[API_KEY_STORAGE_KEY]).toBe('fd_abc');
    expect(bar.replaced).toEqual(['/w/default?view=failed#top']);
  });

  it('uses the saved key when the address has none, and leaves the address alone', () => {
    const storage = memoryStorage({ [API_KEY_STORAGE_KEY]: 'fd_saved' });
    const bar = address('http://localhost:8080/');
    expect(takeApiKey(storage, bar)).toBe('fd_saved');
    expect(bar.replaced).toEqual([]);
  });

  it('drops an empty ?key= from the address and falls back to the saved key', () => {
    const storage = memoryStorage({ [API_KEY_STORAGE_KEY]: 'fd_saved' });
    const bar = address('http://localhost:8080/?key=');
    expect(takeApiKey(storage, bar)).toBe('fd_saved');
    expect(bar.replaced).toEqual(['/']);
  });

  it('has no key when nothing gives one, also without storage', () => {
    expect(takeApiKey(memoryStorage(), address('http://localhost:8080/'))).toBeNull();
    expect(takeApiKey(undefined, address('http://localhost:8080/'))).toBeNull();
  });
});

describe('forgetApiKey', () => {
  it('removes the saved key', () => {
    const storage = memoryStorage({ [API_KEY_STORAGE_KEY]: 'fd_saved' });
    forgetApiKey(storage);
    expect(storage.data).toEqual({});
  });
});
