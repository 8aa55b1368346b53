export interface FdConnectDetail {
  /** The API key the person typed, trimmed. */
  key: string;
}

/** Fired by `fd-connect-form` when the person connects with an API key. Bubbles and crosses shadow roots. */
export type FdConnectEvent = CustomEvent<FdConnectDetail>;

export const FD_CONNECT = 'fd-connect';

export function connectEvent(key: string): FdConnectEvent {
  return new CustomEvent(FD_CONNECT, { detail: { key }, bubbles: true, composed: true });
}

declare global {
  interface GlobalEventHandlersEventMap {
    'fd-connect': FdConnectEvent;
  }
}
