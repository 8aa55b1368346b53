import type { MyWorkspace } from '../api/api-client';

export interface FdWorkspaceCreatedDetail {
  /** The new workspace; its creator owns it. */
  workspace: MyWorkspace;
}

/** Fired by `fd-workspace-switcher` when a workspace was created. Bubbles and crosses shadow roots. */
export type FdWorkspaceCreatedEvent = CustomEvent<FdWorkspaceCreatedDetail>;

export const FD_WORKSPACE_CREATED = 'fd-workspace-created';

export function workspaceCreatedEvent(workspace: MyWorkspace): FdWorkspaceCreatedEvent {
  return new CustomEvent(FD_WORKSPACE_CREATED, { detail: { workspace }, bubbles: true, composed: true });
}

declare global {
  interface GlobalEventHandlersEventMap {
    'fd-workspace-created': FdWorkspaceCreatedEvent;
  }
}
