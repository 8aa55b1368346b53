import type { JobFilters, SavedView } from '@flightdeck/contract';
import type { Requesting } from './api-transport';

/** The workspace's saved views of the jobs (named filters, shared by everyone in it). */
export interface SavedViewsApi {
  listSavedViews(): Promise<SavedView[]>;
  createSavedView(input: { name: string; filters: JobFilters }): Promise<SavedView>;
  deleteSavedView(id: string): Promise<void>;
}

/** The saved-view calls, for the {@link ApiClient}. */
export function SavedViewsCalls<Base extends Requesting>(base: Base) {
  abstract class SavedViews extends base implements SavedViewsApi {
    /** `GET /v1/views`: the workspace's saved views, oldest first. */
    async listSavedViews(): Promise<SavedView[]> {
      return (await this.request<{ items: SavedView[] }>('GET', '/v1/views', { scoped: true })).items;
    }

    /** `POST /v1/views`: saves filters under a name, for the whole workspace. */
    createSavedView(input: { name: string; filters: JobFilters }): Promise<SavedView> {
      return this.request<SavedView>('POST', '/v1/views', { body: input, scoped: true });
    }

    /** `DELETE /v1/views/{id}`: its creator or an admin. */
    deleteSavedView(id: string): Promise<void> {
      return this.request<void>('DELETE', `/v1/views/${encodeURIComponent(id)}`, { scoped: true, empty: true });
    }
  }
  return SavedViews;
}
