import { ulid } from 'ulid';
import { COLLABORATION_LIMITS, type Actor, type JobFilters, type SavedView } from '@flightdeck/contract';
import { ForbiddenError, LimitReachedError, NotFoundError } from '../domain-errors';
import { SavedViewModel } from '../db/models';

/** Named job filters the whole workspace shares. */
export class SavedViews {
  async list(workspaceId: string): Promise<SavedView[]> {
    const records = await SavedViewModel.find({ workspaceId }).sort({ _id: 1 }).lean();
    return records.map((record) => ({
      id: record._id,
      name: record.name,
      filters: JSON.parse(record.filters) as JobFilters,
      createdBy: record.createdBy as Actor,
      createdAt: record.createdAt.toISOString(),
    }));
  }

  async create(workspaceId: string, input: { name: string; filters: JobFilters }, actor: Actor): Promise<SavedView> {
    if ((await SavedViewModel.countDocuments({ workspaceId })) >= COLLABORATION_LIMITS.maxSavedViews) {
      throw new LimitReachedError(`a workspace keeps at most ${COLLABORATION_LIMITS.maxSavedViews} saved views`);
    }
    const view: SavedView = { id: ulid(), ...input, createdBy: actor, createdAt: new Date().toISOString() };
    await SavedViewModel.create({
      _id: view.id,
      workspaceId,
      name: view.name,
      filters: JSON.stringify(view.filters),
      createdBy: actor,
      createdAt: new Date(view.createdAt),
    });
    return view;
  }

  /** Its creator deletes a view, or anyone who may override others (admins). */
  async remove(workspaceId: string, id: string, actor: Actor, mayOverride: boolean): Promise<void> {
    const record = await SavedViewModel.findOne({ _id: id, workspaceId }).lean();
    if (!record) throw new NotFoundError(`saved view ${id} not found`);
    if ((record.createdBy as Actor).id !== actor.id && !mayOverride) {
      throw new ForbiddenError('only its creator or an admin can delete a saved view');
    }
    await SavedViewModel.deleteOne({ _id: id, workspaceId });
  }
}
