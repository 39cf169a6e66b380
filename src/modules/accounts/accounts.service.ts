// Accounts and their people: bootstrap, adding users, roles. An account always keeps at least one OWNER.
import { isEmail } from 'class-validator';
import type { DataSource, EntityManager } from 'typeorm';
import { BadUserInputError, ForbiddenError, NotFoundError } from '../../lib/errors';
import { Account } from './account.entity';
import { ALL_SCOPES, ApiToken, Scope } from './api-token.entity';
import type { TokensService, Viewer } from './tokens.service';
import { isAdmin, Role, User } from './user.entity';

export interface BootstrapResult {
  account: Account;
  user: User;
  token: ApiToken;
  secret: string;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function requireAdmin(viewer: Viewer, action: string): void {
  if (!isAdmin(viewer.user.role)) throw new ForbiddenError(`Only an OWNER or ADMIN can ${action}`);
}

/**
 * Whether the viewer may make the changes requireAdmin guards, by the rule of those mutations: an OWNER or ADMIN
 * with a token that has settings:write (their @Authorized scope). Reads use it to show such callers what only
 * they may see, such as a webhook's full URL.
 */
export function canAdminister(viewer: Viewer): boolean {
  return isAdmin(viewer.user.role) && viewer.scopes.has(Scope.SETTINGS_WRITE);
}

export class AccountsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tokens: TokensService,
  ) {}

  async countAccounts(): Promise<number> {
    return this.dataSource.getRepository(Account).count();
  }

  /** Creates an account with an OWNER and a token with every scope. Refuses an account name that exists. */
  async bootstrap(accountName: string, email: string, userName?: string): Promise<BootstrapResult> {
    const name = accountName.trim();
    if (!name || name.length > 100) throw new BadUserInputError('must be 1 to 100 characters', 'account');
    // The owner's email channel must be deliverable; hosts without a dot (owner@localhost) are fine on an intranet.
    if (email.length > 254 || !isEmail(email.trim(), { require_tld: false })) {
      throw new BadUserInputError(`"${email.slice(0, 254)}" is not an email address`, 'email');
    }
    return this.dataSource.transaction(async (manager) => {
      if (await manager.getRepository(Account).existsBy({ name })) {
        throw new BadUserInputError(`an account named "${name}" already exists`, 'account');
      }
      const account = manager.getRepository(Account).create({ name });
      await manager.insert(Account, account);
      const user = await this.insertUser(
        manager,
        account.id,
        email,
        userName ?? email.split('@')[0],
        Role.OWNER,
      );
      const { token, secret } = await this.tokens.create(user, 'bootstrap', ALL_SCOPES, manager);
      return { account, user, token, secret };
    });
  }

  async findUsersByEmail(email: string): Promise<(User & { account: Account })[]> {
    return (await this.dataSource
      .getRepository(User)
      .createQueryBuilder('user')
      .innerJoinAndMapOne('user.account', Account, 'account', 'account.id = user.accountId')
      .where('user.email = :email', { email: normalizeEmail(email) })
      .getMany()) as (User & { account: Account })[];
  }

  listUsers(accountId: string): Promise<User[]> {
    return this.dataSource
      .getRepository(User)
      .find({ where: { accountId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async addUser(viewer: Viewer, input: { email: string; name: string; role: Role }): Promise<User> {
    requireAdmin(viewer, 'add people');
    if (input.role === Role.OWNER && viewer.user.role !== Role.OWNER) {
      throw new ForbiddenError('Only an OWNER can add another OWNER');
    }
    return this.dataSource.transaction((manager) =>
      this.insertUser(manager, viewer.account.id, input.email, input.name, input.role),
    );
  }

  async setUserRole(viewer: Viewer, userId: string, role: Role): Promise<User> {
    requireAdmin(viewer, 'change roles');
    let previous: Role | undefined;
    const changed = await this.dataSource.transaction(async (manager) => {
      const user = await this.findInAccount(manager, viewer, userId);
      if ((role === Role.OWNER || user.role === Role.OWNER) && viewer.user.role !== Role.OWNER) {
        throw new ForbiddenError('Only an OWNER can grant or take away the OWNER role');
      }
      if (user.role === Role.OWNER && role !== Role.OWNER) await this.ensureAnotherOwner(manager, user);
      previous = user.role;
      user.role = role;
      await manager.update(User, { id: user.id }, { role });
      return user;
    });
    if (previous !== role) await this.tokens.viewerChanged({ userId: changed.id });
    return changed;
  }

  async removeUser(viewer: Viewer, userId: string): Promise<User> {
    requireAdmin(viewer, 'remove people');
    const removed = await this.dataSource.transaction(async (manager) => {
      const user = await this.findInAccount(manager, viewer, userId);
      if (user.role === Role.OWNER) {
        if (viewer.user.role !== Role.OWNER) throw new ForbiddenError('Only an OWNER can remove an OWNER');
        await this.ensureAnotherOwner(manager, user);
      }
      await manager.delete(User, { id: user.id });
      return user;
    });
    await this.tokens.viewerChanged({ userId: removed.id });
    return removed;
  }

  private async findInAccount(manager: EntityManager, viewer: Viewer, userId: string): Promise<User> {
    const user = await manager.findOneBy(User, { id: userId, accountId: viewer.account.id });
    if (!user) throw new NotFoundError('User');
    return user;
  }

  private async ensureAnotherOwner(manager: EntityManager, user: User): Promise<void> {
    // On PostgreSQL the owners are locked, so two owners demoting each other at once cannot leave none.
    // SQLite runs one write transaction at a time, which gives the same guarantee.
    const owners = (
      await manager.find(User, {
        select: { id: true },
        where: { accountId: user.accountId, role: Role.OWNER },
        ...(manager.connection.options.type === 'postgres'
          ? { lock: { mode: 'pessimistic_write' as const } }
          : {}),
      })
    ).length;
    if (owners <= 1) throw new BadUserInputError('an account must keep at least one OWNER', 'userId');
  }

  private async insertUser(
    manager: EntityManager,
    accountId: string,
    email: string,
    name: string,
    role: Role,
  ) {
    const normalized = normalizeEmail(email);
    if (await manager.existsBy(User, { accountId, email: normalized })) {
      throw new BadUserInputError(`${normalized} is already a user of this account`, 'email');
    }
    const user = manager.create(User, {
      accountId,
      email: normalized,
      name: name.trim() || normalized,
      role,
    });
    await manager.insert(User, user);
    return user;
  }
}
