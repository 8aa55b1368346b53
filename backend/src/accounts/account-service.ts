import { randomBytes } from 'node:crypto';
import { ulid } from 'ulid';
import type { Login, MemberRole, Signup, User, Workspace } from '@flightdeck/contract';
import { ConflictError, InvalidInputError } from '../domain-errors';
import {
  ActivityModel,
  ApiKeyModel,
  CommentModel,
  JobLogModel,
  JobRecordModel,
  MembershipModel,
  SavedViewModel,
  UserModel,
  WebhookDeliveryModel,
  WebhookEndpointModel,
  WorkspaceModel,
} from '../db/models';
import { burnPasswordCheck, hashPassword, passwordProblem, verifyPassword } from './passwords';
import type { Session, SessionStore } from './sessions';

export interface MyWorkspace extends Workspace {
  role: MemberRole;
}

export interface SignedIn {
  user: User;
  workspaces: MyWorkspace[];
  /** The session token, for the cookie. */
  token: string;
  session: Session;
}

export const isDuplicateKey = (error: unknown) => (error as { code?: number })?.code === 11000;

/** A URL-safe slug from a name (createWorkspace adds a random suffix when it is taken). */
function slugFrom(name: string): string {
  const base =
    name
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'workspace';
  return base;
}

const presentUser = (user: { _id: string; email: string; name: string }): User => ({
  id: user._id,
  email: user.email,
  name: user.name,
});

/** People and their workspaces: sign-up, sign-in, and creating workspaces. */
export class AccountService {
  constructor(private readonly sessions: SessionStore) {}

  async signup(input: Signup): Promise<SignedIn> {
    const problem = passwordProblem(input.password, input);
    if (problem) throw new InvalidInputError('weak_password', problem, [{ path: 'password', message: problem }]);
    if (await UserModel.exists({ email: input.email })) throw emailTaken();
    const user = { _id: ulid(), email: input.email, name: input.name };
    try {
      await UserModel.create({ ...user, passwordHash: await hashPassword(input.password) });
    } catch (error) {
      throw isDuplicateKey(error) ? emailTaken() : error;
    }
    await this.createWorkspace(user._id, `${input.name}'s workspace`);
    return this.signIn(user);
  }

  /** Null when the email or the password is wrong (the caller does not learn which). */
  async login(input: Login): Promise<SignedIn | null> {
    const user = await UserModel.findOne({ email: input.email }).lean();
    if (!user) {
      await burnPasswordCheck(input.password);
      return null;
    }
    if (!(await verifyPassword(user.passwordHash, input.password))) return null;
    return this.signIn(user);
  }

  private async signIn(user: { _id: string; email: string; name: string }): Promise<SignedIn> {
    const { token, session } = await this.sessions.create({ id: user._id, name: user.name, email: user.email });
    return { user: presentUser(user), workspaces: await this.workspacesOf(user._id), token, session };
  }

  endSession(sessionId: string): Promise<void> {
    return this.sessions.end(sessionId);
  }

  async workspace(workspaceId: string): Promise<Workspace | null> {
    const workspace = await WorkspaceModel.findById(workspaceId).lean();
    return workspace ? { id: workspace._id, slug: workspace.slug, name: workspace.name } : null;
  }

  async workspacesOf(userId: string): Promise<MyWorkspace[]> {
    const memberships = await MembershipModel.find({ userId }).lean();
    if (memberships.length === 0) return [];
    const workspaces = await WorkspaceModel.find({ _id: { $in: memberships.map((m) => m.workspaceId) } }).lean();
    const roleOf = new Map(memberships.map((m) => [m.workspaceId, m.role as MemberRole]));
    return workspaces
      .map((w) => ({ id: w._id, slug: w.slug, name: w.name, role: roleOf.get(w._id)! }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The slug of the first workspace the person joined (for most, the one their sign-up made); null when none. */
  async firstWorkspaceSlug(userId: string): Promise<string | null> {
    // Membership ids are ULIDs: the smallest is the oldest.
    const first = await MembershipModel.findOne({ userId }).sort({ _id: 1 }).lean();
    if (!first) return null;
    return (await WorkspaceModel.findById(first.workspaceId).lean())?.slug ?? null;
  }

  /** The caller's role in the workspace with this slug, or null when they are not a member (or it does not exist). */
  async membership(userId: string, slug: string): Promise<{ workspace: Workspace; role: MemberRole } | null> {
    const workspace = await WorkspaceModel.findOne({ slug }).lean();
    if (!workspace) return null;
    const membership = await MembershipModel.findOne({ workspaceId: workspace._id, userId }).lean();
    if (!membership) return null;
    return {
      workspace: { id: workspace._id, slug: workspace.slug, name: workspace.name },
      role: membership.role as MemberRole,
    };
  }

  /** A new workspace with the caller as its owner. */
  async createWorkspace(userId: string, name: string): Promise<Workspace> {
    const id = ulid();
    const base = slugFrom(name);
    for (let attempt = 0; ; attempt++) {
      const slug = attempt === 0 ? base : `${base}-${randomBytes(3).toString('hex')}`;
      try {
        await WorkspaceModel.create({ _id: id, slug, name });
        break;
      } catch (error) {
        if (!isDuplicateKey(error) || attempt >= 5) throw error;
      }
    }
    await MembershipModel.create({ _id: ulid(), workspaceId: id, userId, role: 'owner' });
    const created = await WorkspaceModel.findById(id).lean();
    return { id, slug: created!.slug, name };
  }

  /**
   * Deletes a workspace: its members and keys lose access at once; its history, comments, activity,
   * saved views and webhooks are removed. The caller removes its schedules (they live in BullMQ too)
   * and cancels its unfinished jobs first. Audit entries are kept.
   */
  async deleteWorkspace(workspaceId: string): Promise<void> {
    await ApiKeyModel.updateMany({ workspaceId, revokedAt: null }, { $set: { revokedAt: new Date() } });
    await MembershipModel.deleteMany({ workspaceId });
    await WorkspaceModel.deleteOne({ _id: workspaceId });
    await Promise.all([
      JobRecordModel.deleteMany({ workspaceId }),
      JobLogModel.deleteMany({ workspaceId }),
      ActivityModel.deleteMany({ workspaceId }),
      CommentModel.deleteMany({ workspaceId }),
      SavedViewModel.deleteMany({ workspaceId }),
      WebhookDeliveryModel.deleteMany({ workspaceId }),
      WebhookEndpointModel.deleteMany({ workspaceId }),
    ]);
  }

  async renameWorkspace(workspaceId: string, name: string): Promise<Workspace> {
    const workspace = await WorkspaceModel.findOneAndUpdate(
      { _id: workspaceId },
      { $set: { name } },
      { returnDocument: 'after' },
    ).lean();
    return { id: workspace!._id, slug: workspace!.slug, name: workspace!.name };
  }
}

const emailTaken = () => new ConflictError('email_taken', 'an account with this email already exists; sign in instead');
