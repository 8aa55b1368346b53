import type { SessionAnswer } from '../api/api-client';

export interface FdSignedInDetail {
  /** Who signed in (or signed up) and their workspaces; the session cookie is set. */
  session: SessionAnswer;
}

/** Fired by `fd-auth-form` when signing in or up worked. Bubbles and crosses shadow roots. */
export type FdSignedInEvent = CustomEvent<FdSignedInDetail>;

export const FD_SIGNED_IN = 'fd-signed-in';

export function signedInEvent(session: SessionAnswer): FdSignedInEvent {
  return new CustomEvent(FD_SIGNED_IN, { detail: { session }, bubbles: true, composed: true });
}

declare global {
  interface GlobalEventHandlersEventMap {
    'fd-signed-in': FdSignedInEvent;
  }
}
