// The event x channel matrix: the seed's defaults, one cell or many at once (all or nothing), and whose rows are
// whose: shared channels' rows belong to the stack, personal channels' rows to each user.
import { Role } from '../src/modules/accounts/user.entity';
import {
  EventTypesDocument,
  SetEventPreferenceDocument,
  SetEventPreferencesDocument,
  StackPreferencesDocument,
  type ChannelKind,
  type EventType,
  type PreferenceChange,
} from './generated/graphql';
import { dataOf } from './helpers/graphql';
import type { Session, TestServer } from './helpers/server';
import { startTestServer } from './helpers/server';
import {
  createStack,
  expectError,
  expectNothingWritten,
  unknownEnumValue,
} from './helpers/settings-fixtures';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const channels: ChannelKind[] = ['BROWSER', 'EMAIL', 'HIPCHAT', 'IOS', 'SLACK', 'WEBHOOK'];
const shared = new Set<ChannelKind>(['HIPCHAT', 'SLACK', 'WEBHOOK']);

/** The id a cell has: a shared cell's names the stack, a personal cell's also the user whose it is. */
function cellId(stackId: string, userId: string, eventType: EventType, channel: ChannelKind): string {
  const id = `PreferenceCell:${stackId}:${eventType}:${channel}`;
  return shared.has(channel) ? id : `${id}:${userId}`;
}

async function matrixOf(session: Session, stackId: string) {
  return dataOf(await server.request(StackPreferencesDocument, { id: stackId }, session.token)).stack
    .preferences;
}

async function cellOf(session: Session, stackId: string, eventType: EventType, channel: ChannelKind) {
  const row = (await matrixOf(session, stackId)).find((candidate) => candidate.eventType === eventType)!;
  return row.cells.find((cell) => cell.channel === channel)!;
}

function setCell(
  session: Session,
  stackId: string,
  eventType: EventType,
  channel: ChannelKind,
  enabled: boolean,
) {
  return server.request(SetEventPreferenceDocument, { stackId, eventType, channel, enabled }, session.token);
}

describe('the default matrix', () => {
  it('has every channel on for every event type except stack.deploy.started, which is all off', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner);
    const matrix = await matrixOf(owner, stackId);
    const { eventTypes } = dataOf(await server.request(EventTypesDocument, {}));
    expect(matrix.map((row) => [row.eventType, row.key])).toEqual(
      eventTypes.map((type) => [type.type, type.key]),
    );
    for (const row of matrix) {
      expect(row.id).toBe(`EventPreferenceRow:${stackId}:${row.eventType}:${owner.userId}`);
      expect(row.cells).toEqual(
        channels.map((channel) => ({
          id: cellId(stackId, owner.userId, row.eventType, channel),
          channel,
          enabled: row.key !== 'stack.deploy.started',
          scope: shared.has(channel) ? 'SHARED' : 'PERSONAL',
          isDefault: true,
        })),
      );
    }
  });

  it('agrees with the default channels eventTypes announces', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner);
    const matrix = await matrixOf(owner, stackId);
    const { eventTypes } = dataOf(await server.request(EventTypesDocument, {}));
    for (const type of eventTypes) {
      const row = matrix.find((candidate) => candidate.eventType === type.type)!;
      // The kind-level cells cover the six original kinds; Teams and Discord start on like Slack.
      const kinds = new Set(row.cells.map((cell) => cell.channel));
      expect(row.cells.filter((cell) => cell.enabled).map((cell) => cell.channel)).toEqual(
        type.defaultChannels.filter((channel) => kinds.has(channel)),
      );
      expect(type.defaultChannels.includes('TEAMS')).toBe(type.defaultChannels.includes('SLACK'));
      expect(type.defaultChannels.includes('DISCORD')).toBe(type.defaultChannels.includes('SLACK'));
    }
  });

  it('starts a newly added user on the defaults for their personal channels', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner);
    dataOf(await setCell(owner, stackId, 'JOB_FAIL', 'EMAIL', false));
    const member = await server.addUser(owner, Role.MEMBER);
    expect(await cellOf(member, stackId, 'JOB_FAIL', 'EMAIL')).toMatchObject({
      enabled: true,
      isDefault: true,
    });
  });
});

describe('setEventPreference', () => {
  it('turns one cell off and on again, and reads it back as set', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner);
    const off = dataOf(await setCell(owner, stackId, 'JOB_FAIL', 'SLACK', false)).setEventPreference;
    expect(off).toEqual({
      id: cellId(stackId, owner.userId, 'JOB_FAIL', 'SLACK'),
      eventType: 'JOB_FAIL',
      channel: 'SLACK',
      enabled: false,
      scope: 'SHARED',
      isDefault: false,
    });
    expect(await cellOf(owner, stackId, 'JOB_FAIL', 'SLACK')).toEqual({
      id: off.id,
      channel: 'SLACK',
      enabled: false,
      scope: 'SHARED',
      isDefault: false,
    });
    dataOf(await setCell(owner, stackId, 'JOB_FAIL', 'SLACK', true));
    expect(await cellOf(owner, stackId, 'JOB_FAIL', 'SLACK')).toMatchObject({
      enabled: true,
      isDefault: false,
    });
  });

  it('turns stack.deploy.started on for one channel only', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner);
    const cell = dataOf(
      await setCell(owner, stackId, 'STACK_DEPLOY_STARTED', 'EMAIL', true),
    ).setEventPreference;
    expect(cell).toMatchObject({ enabled: true, scope: 'PERSONAL' });
    const row = (await matrixOf(owner, stackId)).find(
      (candidate) => candidate.key === 'stack.deploy.started',
    )!;
    expect(row.cells.filter((c) => c.enabled).map((c) => c.channel)).toEqual(['EMAIL']);
  });

  it('keeps the cells of each stack apart', async () => {
    const owner = await server.createAccount();
    const first = await createStack(server, owner, 'one');
    const second = await createStack(server, owner, 'two');
    dataOf(await setCell(owner, first, 'PROCESS_DOWN', 'WEBHOOK', false));
    dataOf(await setCell(owner, first, 'PROCESS_DOWN', 'IOS', false));
    expect(await cellOf(owner, second, 'PROCESS_DOWN', 'WEBHOOK')).toMatchObject({
      enabled: true,
      isDefault: true,
    });
    expect(await cellOf(owner, second, 'PROCESS_DOWN', 'IOS')).toMatchObject({
      enabled: true,
      isDefault: true,
    });
  });
});

describe('personal and shared rows', () => {
  it("keeps a MEMBER's personal cell to that MEMBER: the owner and other members still see the default", async () => {
    const owner = await server.createAccount();
    const member = await server.addUser(owner, Role.MEMBER);
    const other = await server.addUser(owner, Role.MEMBER);
    const stackId = await createStack(server, owner);
    for (const channel of ['EMAIL', 'IOS', 'BROWSER'] as const) {
      const set = dataOf(await setCell(member, stackId, 'SERVER_STOPPED', channel, false)).setEventPreference;
      // The cell the member changed is the one the member reads, under the same id; the others' are their own.
      expect(await cellOf(member, stackId, 'SERVER_STOPPED', channel)).toMatchObject({
        id: set.id,
        enabled: false,
      });
      for (const reader of [owner, other]) {
        const cell = await cellOf(reader, stackId, 'SERVER_STOPPED', channel);
        expect(cell).toMatchObject({ enabled: true, isDefault: true });
        expect(cell.id).not.toBe(set.id);
      }
    }
  });

  it("keeps the owner's personal cell from the members", async () => {
    const owner = await server.createAccount();
    const member = await server.addUser(owner, Role.MEMBER);
    const stackId = await createStack(server, owner);
    dataOf(await setCell(owner, stackId, 'APP_AUTH', 'EMAIL', false));
    expect(await cellOf(member, stackId, 'APP_AUTH', 'EMAIL')).toMatchObject({
      enabled: true,
      isDefault: true,
    });
  });

  it('shows a shared cell an ADMIN changed to everyone in the account', async () => {
    const owner = await server.createAccount();
    const admin = await server.addUser(owner, Role.ADMIN);
    const member = await server.addUser(owner, Role.MEMBER);
    const stackId = await createStack(server, owner);
    for (const channel of ['HIPCHAT', 'SLACK', 'WEBHOOK'] as const) {
      dataOf(await setCell(admin, stackId, 'CONTAINER_DOWN', channel, false));
      for (const reader of [owner, admin, member]) {
        // The same cell, under the same id, whoever reads it.
        expect(await cellOf(reader, stackId, 'CONTAINER_DOWN', channel)).toEqual({
          id: cellId(stackId, reader.userId, 'CONTAINER_DOWN', channel),
          channel,
          enabled: false,
          scope: 'SHARED',
          isDefault: false,
        });
      }
    }
  });

  it('refuses a MEMBER changing a shared cell with FORBIDDEN and writes nothing', async () => {
    const owner = await server.createAccount();
    const member = await server.addUser(owner, Role.MEMBER);
    const stackId = await createStack(server, owner);
    await expectNothingWritten(server, [owner, member], async () => {
      expectError(await setCell(member, stackId, 'JOB_FAIL', 'SLACK', false), 'FORBIDDEN');
    });
  });
});

describe('setEventPreferences', () => {
  it('sets many cells, shared and personal, in one call and returns them in order', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner);
    const changes: (PreferenceChange & { channel: ChannelKind })[] = [
      { eventType: 'JOB_FAIL', channel: 'SLACK', enabled: false },
      { eventType: 'JOB_FAIL', channel: 'EMAIL', enabled: false },
      { eventType: 'STACK_DEPLOY_STARTED', channel: 'WEBHOOK', enabled: true },
      { eventType: 'STACK_DEPLOY_STARTED', channel: 'BROWSER', enabled: true },
    ];
    const { setEventPreferences } = dataOf(
      await server.request(SetEventPreferencesDocument, { stackId, changes }, owner.token),
    );
    expect(setEventPreferences).toEqual(
      changes.map((change) => ({
        id: cellId(stackId, owner.userId, change.eventType, change.channel),
        ...change,
        scope: shared.has(change.channel) ? 'SHARED' : 'PERSONAL',
      })),
    );
    for (const change of changes) {
      expect(await cellOf(owner, stackId, change.eventType, change.channel)).toMatchObject({
        enabled: change.enabled,
        isDefault: false,
      });
    }
  });

  it('sets the whole matrix of 84 cells at once', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner);
    const { eventTypes } = dataOf(await server.request(EventTypesDocument, {}));
    const changes = eventTypes.flatMap((type) =>
      channels.map((channel) => ({
        eventType: type.type,
        channel,
        enabled: type.key === 'stack.deploy.started',
      })),
    );
    expect(changes).toHaveLength(84);
    dataOf(await server.request(SetEventPreferencesDocument, { stackId, changes }, owner.token));
    for (const row of await matrixOf(owner, stackId)) {
      for (const cell of row.cells)
        expect(cell).toMatchObject({ enabled: row.key === 'stack.deploy.started', isDefault: false });
    }
  });

  it('lets a MEMBER set their own personal cells in one call', async () => {
    const owner = await server.createAccount();
    const member = await server.addUser(owner, Role.MEMBER);
    const stackId = await createStack(server, owner);
    const changes: (PreferenceChange & { channel: ChannelKind })[] = [
      { eventType: 'JOB_FAIL', channel: 'EMAIL', enabled: false },
      { eventType: 'JOB_FAIL', channel: 'IOS', enabled: false },
    ];
    dataOf(await server.request(SetEventPreferencesDocument, { stackId, changes }, member.token));
    expect(await cellOf(member, stackId, 'JOB_FAIL', 'IOS')).toMatchObject({ enabled: false });
    expect(await cellOf(owner, stackId, 'JOB_FAIL', 'IOS')).toMatchObject({ enabled: true });
  });

  it('refuses a batch naming one cell twice with BAD_USER_INPUT naming changes, and applies none of it', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner);
    const changes: (PreferenceChange & { channel: ChannelKind })[] = [
      { eventType: 'JOB_FAIL', channel: 'EMAIL', enabled: false },
      { eventType: 'JOB_FAIL', channel: 'SLACK', enabled: false },
      { eventType: 'JOB_FAIL', channel: 'EMAIL', enabled: true },
    ];
    await expectNothingWritten(server, [owner], async () => {
      expectError(
        await server.request(SetEventPreferencesDocument, { stackId, changes }, owner.token),
        'BAD_USER_INPUT',
        'changes',
      );
    });
  });

  it('refuses a batch with one unknown event type with BAD_USER_INPUT, and applies none of it', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner);
    const changes: (PreferenceChange & { channel: ChannelKind })[] = [
      { eventType: 'JOB_FAIL', channel: 'EMAIL', enabled: false },
      { eventType: unknownEnumValue<EventType>('JOB_EXPLODED'), channel: 'EMAIL', enabled: false },
    ];
    await expectNothingWritten(server, [owner], async () => {
      expectError(
        await server.request(SetEventPreferencesDocument, { stackId, changes }, owner.token),
        'BAD_USER_INPUT',
      );
    });
  });

  it('refuses a MEMBER batch that touches one shared cell with FORBIDDEN, and applies none of it', async () => {
    const owner = await server.createAccount();
    const member = await server.addUser(owner, Role.MEMBER);
    const stackId = await createStack(server, owner);
    const changes: (PreferenceChange & { channel: ChannelKind })[] = [
      { eventType: 'JOB_FAIL', channel: 'EMAIL', enabled: false },
      { eventType: 'JOB_FAIL', channel: 'IOS', enabled: false },
      { eventType: 'JOB_FAIL', channel: 'WEBHOOK', enabled: false },
    ];
    await expectNothingWritten(server, [owner, member], async () => {
      expectError(
        await server.request(SetEventPreferencesDocument, { stackId, changes }, member.token),
        'FORBIDDEN',
      );
    });
  });

  it('refuses an empty batch, or one longer than the matrix, with BAD_USER_INPUT naming changes', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner);
    const tooMany = Array.from(
      { length: 85 },
      () => ({ eventType: 'JOB_FAIL', channel: 'EMAIL', enabled: true }) as const,
    );
    for (const changes of [[], tooMany]) {
      await expectNothingWritten(server, [owner], async () => {
        expectError(
          await server.request(SetEventPreferencesDocument, { stackId, changes }, owner.token),
          'BAD_USER_INPUT',
          'changes',
        );
      });
    }
  });
});
