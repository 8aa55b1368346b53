/** Where the console keeps the API key: this tab's sessionStorage, gone when the tab closes. */
export const API_KEY_STORAGE_KEY = 'flightdeck.apiKey';

/** The query parameter that hands the console a key (`/?key=…`), removed from the address once read. */
export const API_KEY_PARAM = 'key';

export interface KeyStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface AddressBar {
  readonly href: string;
  replace(url: string): void;
}

/**
 * The API key to connect with: a `?key=` parameter wins (and is saved, then taken out of the
 * address so it does not linger in history, bookmarks or screenshots); otherwise the saved one.
 */
export function takeApiKey(storage: KeyStorage | undefined, address: AddressBar): string | null {
  const url = new URL(address.href);
  const fromUrl = url.searchParams.get(API_KEY_PARAM)?.trim();
  if (url.searchParams.has(API_KEY_PARAM)) {
    url.searchParams.delete(API_KEY_PARAM);
    address.replace(`${url.pathname}${url.search}${url.hash}`);
  }
  if (fromUrl) {
    saveApiKey(storage, fromUrl);
    return fromUrl;
  }
  return readStorage(storage);
}

export function saveApiKey(storage: KeyStorage | undefined, key: string): void {
  try {
    storage?.setItem(API_KEY_STORAGE_KEY, key);
  } catch {
    // Storage full or disabled: the key still works for this page view.
  }
}

export function forgetApiKey(storage: KeyStorage | undefined): void {
  try {
    storage?.removeItem(API_KEY_STORAGE_KEY);
  } catch {
    // nothing stored
  }
}

function readStorage(storage: KeyStorage | undefined): string | null {
  try {
    return storage?.getItem(API_KEY_STORAGE_KEY)?.trim() || null;
  } catch {
    return null;
  }
}

/** The browser's session storage, when the page may use it. */
export function sessionKeyStorage(): KeyStorage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}

/** The browser's address bar, changed without a navigation. */
export function browserAddressBar(): AddressBar {
  return {
    get href() {
      return window.location.href;
    },
    replace: (url) => window.history.replaceState(window.history.state, '', url),
  };
}
