import { FAIR_SHARE_LIMITS, type FairShare, type WorkspaceShare } from '@flightdeck/contract';
import { WorkspaceModel } from '../db/models';
import { DEFAULT_LIMITS, type WorkspaceLimitsStore } from './workspace-limits';

/** What the dispatcher counts of one workspace (a subset of fair-share-usage.ts's `WorkspaceUsage`). */
export interface WorkspaceCounts {
  workspaceId: string;
  pending: number;
  running: number;
  startedLastMinute: number;
}

/** Reads the counts of the workspaces named, or of every workspace with any when none are named. */
export type WorkspaceCountsReader = (workspaceIds?: string[]) => Promise<WorkspaceCounts[]>;

/** Who asks: their workspace, and whether they operate the deployment (and so see every workspace). */
export interface FairShareViewer {
  workspaceId: string;
  operator: boolean;
}

const NO_COUNTS = { pending: 0, running: 0, startedLastMinute: 0 };

/**
 * `GET /v1/fair-share`: per workspace, what waits, what runs, the limits and the share of the jobs
 * started in the last minute. An operator sees every workspace; anyone else only their own line
 * (their share is of the whole deployment's starts, but no other workspace's figures are given).
 */
export class FairShareOverview {
  /** The last reading of every workspace's counts, shared by the requests of the next second. */
  private reading: { at: number; counts: Promise<WorkspaceCounts[]> } | undefined;

  constructor(
    private readonly limits: WorkspaceLimitsStore,
    private readonly counts: WorkspaceCountsReader,
    private readonly maxAgeMs = 1_000,
  ) {}

  async describe(viewer: FairShareViewer): Promise<FairShare> {
    const [usage, limits, workspaces] = await Promise.all([
      this.everyWorkspaceCounts(),
      viewer.operator ? this.limits.all() : this.ownLimits(viewer.workspaceId),
      WorkspaceModel.find(viewer.operator ? {} : { _id: viewer.workspaceId }, { name: 1, slug: 1 }).lean(),
    ]);
    const byWorkspace = new Map(usage.map((counts) => [counts.workspaceId, counts]));
    const started = usage.reduce((sum, counts) => sum + counts.startedLastMinute, 0);
    const lines = workspaces.map((workspace): WorkspaceShare => {
      const workspaceId = String(workspace._id);
      const { pending, running, startedLastMinute } = byWorkspace.get(workspaceId) ?? NO_COUNTS;
      const set = limits.get(workspaceId) ?? { ...DEFAULT_LIMITS };
      return {
        workspaceId,
        name: workspace.name,
        slug: workspace.slug,
        pending,
        running,
        startedLastMinute,
        share: started > 0 ? startedLastMinute / started : null,
        limits: set,
        effective: this.limits.effective(set),
      };
    });
    // Busiest first: with work now, then with work lately, then by name.
    lines.sort(
      (a, b) =>
        b.running + b.pending - (a.running + a.pending) ||
        b.startedLastMinute - a.startedLastMinute ||
        a.name.localeCompare(b.name),
    );
    return {
      operator: viewer.operator,
      defaults: this.limits.defaults,
      windowSeconds: FAIR_SHARE_LIMITS.windowSeconds,
      workspaces: lines,
      at: new Date().toISOString(),
    };
  }

  /**
   * Every workspace's counts (a share is of the whole deployment's starts, whoever asks): read at most
   * once per `maxAgeMs` however many consoles poll, as a reading costs a few commands per workspace.
   */
  private everyWorkspaceCounts(): Promise<WorkspaceCounts[]> {
    const now = Date.now();
    if (!this.reading || now - this.reading.at >= this.maxAgeMs) {
      const counts = this.counts();
      this.reading = { at: now, counts };
      // A failed reading is not kept: the next request reads again.
      counts.catch(() => {
        if (this.reading?.counts === counts) this.reading = undefined;
      });
    }
    return this.reading.counts;
  }

  private async ownLimits(workspaceId: string) {
    return new Map([[workspaceId, await this.limits.get(workspaceId)]]);
  }
}
