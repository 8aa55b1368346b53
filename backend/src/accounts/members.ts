import { ulid } from 'ulid';
import type { Member, MemberRole } from '@flightdeck/contract';
import { roleCanAssign } from '@flightdeck/contract';
import { ConflictError, ForbiddenError, NotFoundError } from '../domain-errors';
import { MembershipModel, UserModel } from '../db/models';
import { isDuplicateKey } from './account-service';
import type { RevocationBus } from './revocations';

/**
 * Members of a workspace and their roles. Only owners make or unmake owners, and a workspace always
 * keeps at least one owner.
 */
export class MemberService {
  constructor(private readonly revocations: RevocationBus) {}

  async list(workspaceId: string): Promise<Member[]> {
    const memberships = await MembershipModel.find({ workspaceId }).sort({ _id: 1 }).lean();
    const users = await UserModel.find({ _id: { $in: memberships.map((m) => m.userId) } }).lean();
    const userById = new Map(users.map((user) => [user._id, user]));
    return memberships.flatMap((membership) => {
      const user = userById.get(membership.userId);
      return user ? [present(membership, user)] : [];
    });
  }

  async add(workspaceId: string, input: { email: string; role: MemberRole }, callerRole: MemberRole): Promise<Member> {
    assertMayAssign(callerRole, input.role);
    const user = await UserModel.findOne({ email: input.email }).lean();
    if (!user) throw new NotFoundError('no account has this email; ask them to sign up first', 'user_not_found');
    try {
      const membership = await MembershipModel.create({ _id: ulid(), workspaceId, userId: user._id, role: input.role });
      return present(membership.toObject(), user);
    } catch (error) {
      if (isDuplicateKey(error)) throw new ConflictError('already_member', `${input.email} is already a member`);
      throw error;
    }
  }

  async changeRole(
    workspaceId: string,
    userId: string,
    role: MemberRole,
    callerRole: MemberRole,
  ): Promise<{ member: Member; previousRole: MemberRole }> {
    const membership = await this.find(workspaceId, userId);
    assertMayAssign(callerRole, membership.role as MemberRole);
    assertMayAssign(callerRole, role);
    if (membership.role === 'owner' && role !== 'owner') await this.assertAnotherOwner(workspaceId, userId);
    if (membership.role !== role) {
      await MembershipModel.updateOne({ _id: membership._id }, { $set: { role } });
      // Open sockets were authorized under the old role: they reconnect and are authorized anew.
      await this.revocations.publish({ kind: 'member', workspaceId, userId });
    }
    const user = await UserModel.findById(userId).lean();
    return { member: present({ ...membership, role }, user!), previousRole: membership.role as MemberRole };
  }

  /** Removes a member; anyone may leave on their own, others need the right to take away the member's role. */
  async remove(
    workspaceId: string,
    userId: string,
    caller: { userId: string | null; role: MemberRole },
  ): Promise<Member> {
    const membership = await this.find(workspaceId, userId);
    if (caller.userId !== userId) assertMayAssign(caller.role, membership.role as MemberRole);
    if (membership.role === 'owner') await this.assertAnotherOwner(workspaceId, userId);
    await MembershipModel.deleteOne({ _id: membership._id });
    await this.revocations.publish({ kind: 'member', workspaceId, userId });
    const user = await UserModel.findById(userId).lean();
    return present(membership, user!);
  }

  private async find(workspaceId: string, userId: string) {
    const membership = await MembershipModel.findOne({ workspaceId, userId }).lean();
    if (!membership) throw new NotFoundError(`no member ${userId} in this workspace`);
    return membership;
  }

  private async assertAnotherOwner(workspaceId: string, userId: string) {
    const owners = await MembershipModel.countDocuments({ workspaceId, role: 'owner', userId: { $ne: userId } });
    if (owners === 0)
      throw new ConflictError('last_owner', 'a workspace needs an owner: make someone else owner first');
  }
}

function assertMayAssign(callerRole: MemberRole, role: MemberRole) {
  if (!roleCanAssign(callerRole, role))
    throw new ForbiddenError(`a ${callerRole} cannot give or take away the ${role} role`);
}

const present = (
  membership: { userId: string; role: string; createdAt: Date },
  user: { email: string; name: string },
): Member => ({
  userId: membership.userId,
  email: user.email,
  name: user.name,
  role: membership.role as MemberRole,
  addedAt: membership.createdAt.toISOString(),
});
