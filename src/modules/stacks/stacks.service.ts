// Stacks of an account. A stack of another account is reported exactly like a missing one.
import type { DataSource, EntityManager, Repository } from 'typeorm';
import { BadUserInputError, NotFoundError } from '../../lib/errors';
import { type Connection, type PageArguments, paginate } from '../../lib/pagination';
import { requireAdmin } from '../accounts/accounts.service';
import type { Viewer } from '../accounts/tokens.service';
import { Stack } from './stack.entity';
import { stackOfAccount, stacksByIds } from './stacks.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function trimmed(value: string, field: string): string {
  const result = value.trim();
  if (!result) throw new BadUserInputError('must not be blank', field);
  return result;
}

export class StacksService {
  private readonly stacks: Repository<Stack>;

  constructor(dataSource: DataSource) {
    this.stacks = dataSource.getRepository(Stack);
  }

  list(viewer: Viewer, args: PageArguments): Promise<Connection<Stack>> {
    const query = this.stacks.createQueryBuilder('stack').where('stack.accountId = :accountId', {
      accountId: viewer.account.id,
    });
    return paginate(query, 'stack', args, `stacks:${viewer.account.id}`);
  }

  /** The stack if the viewer's account owns it; NOT_FOUND otherwise, whether or not it exists elsewhere. */
  async get(viewer: Viewer, stackId: string): Promise<Stack> {
    const stack = await this.find(viewer, stackId);
    if (!stack) throw new NotFoundError('Stack');
    return stack;
  }

  /** The stack of the viewer's account with this id, or null (as get, without the error). */
  async find(viewer: Viewer, stackId: string): Promise<Stack | null> {
    return StacksService.isStackId(stackId)
      ? stackOfAccount(this.stacks.manager, stackId, viewer.account.id)
      : null;
  }

  /** Whether an id can name a stack at all: anything else is NOT_FOUND without a query. */
  static isStackId(stackId: string): boolean {
    return UUID.test(stackId);
  }

  /**
   * Several stacks by id in one read, with `manager` (a transaction's, so the stacks are read where they are used).
   * Ownership is the caller's to check.
   */
  async byIds(manager: EntityManager, ids: readonly string[]): Promise<Map<string, Stack>> {
    const stacks = await stacksByIds(manager, [...new Set(ids)]);
    return new Map(stacks.map((stack) => [stack.id, stack]));
  }

  async create(viewer: Viewer, input: { name: string; environment: string }): Promise<Stack> {
    requireAdmin(viewer, 'create stacks');
    const stack = this.stacks.create({
      accountId: viewer.account.id,
      name: trimmed(input.name, 'input.name'),
      environment: trimmed(input.environment, 'input.environment'),
    });
    await this.stacks.insert(stack);
    return stack;
  }

  async update(
    viewer: Viewer,
    stackId: string,
    input: { name?: string | null; environment?: string | null },
  ) {
    const stack = await this.get(viewer, stackId);
    requireAdmin(viewer, 'change stacks');
    if (input.name !== undefined && input.name !== null) stack.name = trimmed(input.name, 'input.name');
    if (input.environment !== undefined && input.environment !== null) {
      stack.environment = trimmed(input.environment, 'input.environment');
    }
    await this.stacks.update({ id: stack.id }, { name: stack.name, environment: stack.environment });
    return stack;
  }

  /** Deletes the stack with its channels, preferences and history (foreign keys cascade). */
  async delete(viewer: Viewer, stackId: string): Promise<Stack> {
    const stack = await this.get(viewer, stackId);
    requireAdmin(viewer, 'delete stacks');
    await this.stacks.delete({ id: stack.id });
    return stack;
  }
}
