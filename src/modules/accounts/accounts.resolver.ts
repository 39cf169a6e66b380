import {
  Arg,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Mutation,
  Query,
  Resolver,
  Root,
  UseMiddleware,
} from 'type-graphql';
import { rejectNulCharacters } from '../../lib/input-hygiene';
import { mapErrors } from '../../graphql/map-errors';
import type { Context } from '../../context';
import { viewerOf } from './auth';
import { ForbiddenError } from '../../lib/errors';
import { Account } from './account.entity';
import { AddUserInput, CreateApiTokenInput, CreateApiTokenPayload } from './accounts.inputs';
import { ApiToken, Scope } from './api-token.entity';
import { isAdmin, Role, User } from './user.entity';

@UseMiddleware(mapErrors, rejectNulCharacters)
@Resolver(() => User)
export class UserResolver {
  @Authorized(Scope.SETTINGS_READ)
  @Query(() => User, { description: 'The user the token belongs to.' })
  me(@Ctx() context: Context): User {
    return viewerOf(context).user;
  }

  @FieldResolver(() => Account)
  account(@Ctx() context: Context): Account {
    return viewerOf(context).account;
  }

  @Authorized(Scope.SETTINGS_READ)
  @FieldResolver(() => [ApiToken], {
    description: "The user's tokens: visible to the user and to OWNER or ADMIN.",
  })
  async apiTokens(@Root() user: User, @Ctx() context: Context): Promise<ApiToken[]> {
    const viewer = viewerOf(context);
    if (user.id !== viewer.user.id && !isAdmin(viewer.user.role)) {
      throw new ForbiddenError("Only an OWNER or ADMIN can list another user's tokens");
    }
    return context.services.tokens.listForUser(user.id);
  }

  @Authorized(Scope.SETTINGS_WRITE)
  @Mutation(() => User, { description: 'OWNER or ADMIN: add a person to the account.' })
  addUser(@Arg('input', () => AddUserInput) input: AddUserInput, @Ctx() context: Context): Promise<User> {
    return context.services.accounts.addUser(viewerOf(context), input);
  }

  @Authorized(Scope.SETTINGS_WRITE)
  @Mutation(() => User, {
    description: 'OWNER or ADMIN: change a role. The account keeps at least one OWNER.',
  })
  setUserRole(
    @Arg('userId', () => ID) userId: string,
    @Arg('role', () => Role) role: Role,
    @Ctx() context: Context,
  ): Promise<User> {
    return context.services.accounts.setUserRole(viewerOf(context), userId, role);
  }

  @Authorized(Scope.SETTINGS_WRITE)
  @Mutation(() => User, {
    description: 'OWNER or ADMIN: remove a person and their tokens and personal channels.',
  })
  removeUser(@Arg('userId', () => ID) userId: string, @Ctx() context: Context): Promise<User> {
    return context.services.accounts.removeUser(viewerOf(context), userId);
  }

  @Authorized(Scope.SETTINGS_WRITE)
  @Mutation(() => CreateApiTokenPayload, {
    description:
      'Issue a token for the viewer, with at most the scopes of the calling token. Its secret is shown once.',
  })
  async createApiToken(
    @Arg('input', () => CreateApiTokenInput) input: CreateApiTokenInput,
    @Ctx() context: Context,
  ): Promise<CreateApiTokenPayload> {
    return context.services.tokens.createForViewer(viewerOf(context), input.name, input.scopes);
  }

  @Authorized(Scope.SETTINGS_WRITE)
  @Mutation(() => ApiToken, {
    description: 'Revoke one of your tokens (OWNER or ADMIN: any token of the account).',
  })
  revokeApiToken(@Arg('id', () => ID) id: string, @Ctx() context: Context): Promise<ApiToken> {
    return context.services.tokens.revoke(viewerOf(context), id);
  }
}

@UseMiddleware(mapErrors, rejectNulCharacters)
@Resolver(() => Account)
export class AccountResolver {
  @Authorized(Scope.SETTINGS_READ)
  @FieldResolver(() => [User])
  users(@Root() account: Account, @Ctx() context: Context): Promise<User[]> {
    return context.services.accounts.listUsers(account.id);
  }
}
