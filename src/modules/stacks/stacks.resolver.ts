import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver, UseMiddleware } from 'type-graphql';
import { rejectNulCharacters } from '../../lib/input-hygiene';
import { mapErrors } from '../../graphql/map-errors';
import type { Context } from '../../context';
import { viewerOf } from '../accounts/auth';
import type { Connection } from '../../lib/pagination';
import { ConnectionArgs, ConnectionType } from '../../lib/pagination';
import { Scope } from '../accounts/api-token.entity';
import { Stack } from './stack.entity';
import { CreateStackInput, UpdateStackInput } from './stack.inputs';

export const StackConnection = ConnectionType(Stack, 'Stack');

@UseMiddleware(mapErrors, rejectNulCharacters)
@Resolver(() => Stack)
export class StacksResolver {
  @Authorized(Scope.SETTINGS_READ)
  @Query(() => StackConnection, { description: "The account's stacks, newest first." })
  stacks(
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Ctx() context: Context,
  ): Promise<Connection<Stack>> {
    return context.services.stacks.list(viewerOf(context), page);
  }

  @Authorized(Scope.SETTINGS_READ)
  @Query(() => Stack)
  stack(@Arg('id', () => ID) id: string, @Ctx() context: Context): Promise<Stack> {
    return context.services.stacks.get(viewerOf(context), id);
  }

  @Authorized(Scope.SETTINGS_WRITE)
  @Mutation(() => Stack, { description: 'OWNER or ADMIN.' })
  createStack(
    @Arg('input', () => CreateStackInput) input: CreateStackInput,
    @Ctx() context: Context,
  ): Promise<Stack> {
    return context.services.stacks.create(viewerOf(context), input);
  }

  @Authorized(Scope.SETTINGS_WRITE)
  @Mutation(() => Stack, { description: 'OWNER or ADMIN.' })
  updateStack(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateStackInput) input: UpdateStackInput,
    @Ctx() context: Context,
  ): Promise<Stack> {
    return context.services.stacks.update(viewerOf(context), id, input);
  }

  @Authorized(Scope.SETTINGS_WRITE)
  @Mutation(() => ID, {
    description: 'OWNER or ADMIN. Deletes the stack with its channels, settings and history.',
  })
  async deleteStack(@Arg('id', () => ID) id: string, @Ctx() context: Context): Promise<string> {
    return (await context.services.stacks.delete(viewerOf(context), id)).id;
  }
}
