import type { RevokedNotice } from '@flightdeck/contract';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { viewersByJob, type PresenceMember } from '../../realtime/presence';
import { RealtimeClient, type RealtimeClientOptions, type RealtimeSnapshot } from '../../realtime/realtime-client';

/** Which connection the console should have: one per workspace (or key). */
export interface ConnectionTarget {
  id: string;
  options: RealtimeClientOptions;
}

export interface AppConnectionOptions {
  /** Origin of the Flightdeck server ('' for the page's own). */
  serverUrl(): string;
  /** The gateway is closing the socket because the credentials changed. */
  onRevoked(notice: RevokedNotice): void;
  /** The gateway refused the credentials (after the snapshot that says so was shown). */
  onUnauthorized(message: string): void;
}

type JobViewers = ReturnType<typeof viewersByJob>;

/**
 * The console's one live connection, for the workspace shown (a new workspace or key is a new
 * connection): its state for the indicator, and who is online (presence).
 */
export class AppConnection implements ReactiveController {
  snapshot: RealtimeSnapshot | undefined;
  /** Who is online in the workspace and which jobs each has open (you included). */
  presence: readonly PresenceMember[] = [];
  private connection: { id: string; realtime: RealtimeClient; stop: () => void } | undefined;
  private viewersCache: { members: readonly PresenceMember[]; self: string | null; byJob: JobViewers } | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: AppConnectionOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.close();
  }

  /** The realtime client, while there is a connection. */
  get realtime(): RealtimeClient | undefined {
    return this.connection?.realtime;
  }

  /** Connects to `target` unless already connected to it; null closes the connection. */
  sync(target: ConnectionTarget | null): void {
    if (target?.id === this.connection?.id) return;
    this.close();
    if (!target) return;
    const serverUrl = this.options.serverUrl();
    const realtime = new RealtimeClient({
      ...target.options,
      ...(serverUrl ? { url: serverUrl } : {}),
      onRevoked: (notice) => this.options.onRevoked(notice),
    });
    const stop = realtime.subscribe((snapshot) => {
      this.snapshot = snapshot;
      this.host.requestUpdate();
      if (!snapshot.problem?.unauthorized) return;
      queueMicrotask(() => this.options.onUnauthorized(snapshot.problem?.message ?? ''));
    });
    const stopPresence = realtime.presence.subscribe((presence) => {
      this.presence = presence.members;
      this.host.requestUpdate();
    });
    this.connection = {
      id: target.id,
      realtime,
      stop: () => {
        stop();
        stopPresence();
      },
    };
    realtime.start();
  }

  close(): void {
    this.connection?.stop();
    this.connection?.realtime.stop();
    this.connection = undefined;
    this.snapshot = undefined;
    this.presence = [];
    this.host.requestUpdate();
  }

  /** Who else has each job open, the same map until presence changes (so rows do not re-render for nothing). */
  jobViewers(self: string | null): JobViewers {
    const cache = this.viewersCache;
    if (cache?.members === this.presence && cache.self === self) return cache.byJob;
    const byJob = viewersByJob(this.presence, self);
    this.viewersCache = { members: this.presence, self, byJob };
    return byJob;
  }
}
