// Fixtures for the settings API tests: stacks, valid device and Web Push credentials, error assertions, and the
// "nothing was written" check (the account as its users read it, plus the row count of every settings table).
import { createECDH, randomBytes } from 'node:crypto';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { Account } from '../../src/modules/accounts/account.entity';
import { ApiToken } from '../../src/modules/accounts/api-token.entity';
import { User } from '../../src/modules/accounts/user.entity';
import { IosDevice } from '../../src/modules/channels/ios-device.entity';
import { StackChannel } from '../../src/modules/channels/stack-channel.entity';
import { WebPushSubscription } from '../../src/modules/channels/web-push-subscription.entity';
import {
  ChannelPreference,
  StackPreference,
  UserPreference,
} from '../../src/modules/preferences/preference.entities';
import { Stack } from '../../src/modules/stacks/stack.entity';
import {
  AccountSnapshotDocument,
  CreateStackDocument,
  type AccountSnapshotQuery,
} from '../generated/graphql';
import { dataOf, type GraphQLResponse } from './graphql';
import type { Session, TestServer } from './server';

export async function createStack(
  server: TestServer,
  session: Session,
  name = 'web',
  environment = 'production',
): Promise<string> {
  const { createStack } = dataOf(
    await server.request(CreateStackDocument, { input: { name, environment } }, session.token),
  );
  return createStack.id;
}

/** An APNs device token: 32 random bytes in hex. */
export function apnsToken(): string {
  return randomBytes(32).toString('hex');
}

/** What PushSubscription.toJSON() gives: a real P-256 public key and a 16-byte auth secret, base64url. */
export function webPushSubscription(
  endpoint = `https://push.example.com/send/${randomBytes(8).toString('hex')}`,
) {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return {
    endpoint,
    keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') },
  };
}

/** A value outside a GraphQL enum, sent as a variable as a client with a stale schema would. */
export function unknownEnumValue<T>(value: string): T {
  return value as unknown as T;
}

/** The first error of a failed response, with its code and, for BAD_USER_INPUT, the field it names. */
export function expectError(response: GraphQLResponse<unknown>, code: string, field?: string): void {
  if (!response.errors?.length)
    throw new Error(`expected ${code}, got data: ${JSON.stringify(response.data)}`);
  const [error] = response.errors;
  expect({ code: error.extensions?.code, message: error.message }).toMatchObject({ code });
  if (response.data) expect(Object.values(response.data).every((value) => value === null)).toBe(true);
  if (field !== undefined) {
    // Validation of an input object names the field inside it ("url"); the services name its path ("input.url").
    const named = String(error.extensions?.field);
    if (named !== field && !named.endsWith(`.${field}`)) {
      throw new Error(`expected extensions.field to name ${field}, got ${named} (${error.message})`);
    }
  }
}

/** The same request over HTTP, returning the body exactly as it crossed the wire. */
export async function rawRequest<TResult, TVariables>(
  server: TestServer,
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
  token: string,
): Promise<{ text: string; body: GraphQLResponse<TResult> }> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const text = await response.text();
  return { text, body: { status: response.status, ...(JSON.parse(text) as object) } };
}

const settingsTables = {
  accounts: Account,
  users: User,
  api_tokens: ApiToken,
  stacks: Stack,
  stack_channels: StackChannel,
  stack_preferences: StackPreference,
  channel_preferences: ChannelPreference,
  user_preferences: UserPreference,
  ios_devices: IosDevice,
  web_push_subscriptions: WebPushSubscription,
};

/** How many rows each settings table holds. Tests in a file run one at a time, so a refusal must not move these. */
export async function rowCounts(server: TestServer): Promise<Record<string, number>> {
  const { dataSource } = server.app.services;
  const counts: Record<string, number> = {};
  for (const [table, entity] of Object.entries(settingsTables)) {
    counts[table] = await dataSource.getRepository(entity).count();
  }
  return counts;
}

/** The account as a user reads it through the API: people, own tokens, every stack with channels and matrix. */
export async function accountSnapshot(server: TestServer, session: Session): Promise<AccountSnapshotQuery> {
  const snapshot = dataOf(await server.request(AccountSnapshotDocument, {}, session.token));
  expect(snapshot.stacks.pageInfo.hasNextPage).toBe(false);
  return snapshot;
}

/**
 * Runs a request that must be refused and checks that it changed nothing: the row counts of every settings table
 * and the account as each given user reads it are the same afterwards.
 */
export async function expectNothingWritten(
  server: TestServer,
  readers: Session[],
  refused: () => Promise<void>,
): Promise<void> {
  const before = {
    counts: await rowCounts(server),
    views: await Promise.all(readers.map((r) => accountSnapshot(server, r))),
  };
  await refused();
  const after = {
    counts: await rowCounts(server),
    views: await Promise.all(readers.map((r) => accountSnapshot(server, r))),
  };
  expect(after).toEqual(before);
}
