// Shared channels as instances: several of a kind per stack, each with its name, settings and column of the event
// matrix, Microsoft Teams and Discord among them; the deprecated kind-level operations act on the oldest of a kind.
import { Scope } from '../src/modules/accounts/api-token.entity';
import { Role } from '../src/modules/accounts/user.entity';
import { ChannelPreference } from '../src/modules/preferences/preference.entities';
import {
  ChannelDeliveriesDocument,
  ChannelNodeDocument,
  ConfigureSlackDocument,
  CreateChannelDocument,
  DeleteChannelDocument,
  PublishEventDocument,
  RedeliverChannelDocument,
  RemoveChannelDocument,
  RotateChannelSigningSecretDocument,
  SetChannelCellDocument,
  SetEventPreferenceDocument,
  SetEventPreferencesDocument,
  SetUserRoleDocument,
  StackChannelMatrixDocument,
  StackChannelsDocument,
  StackSharedChannelsDocument,
  TestChannelByIdDocument,
  UpdateChannelDocument,
  type ChannelInput,
  type EventType,
} from './generated/graphql';
import { dataOf } from './helpers/graphql';
import { startTestServer, type Session, type TestServer } from './helpers/server';
import { createStack, expectError, expectNothingWritten } from './helpers/settings-fixtures';
import { DiscordPeer } from './peers/discord-peer';
import { SlackPeer } from './peers/slack-peer';
import { TeamsPeer } from './peers/teams-peer';
import { WebhookPeer } from './peers/webhook-peer';

let server: TestServer;
let slack: SlackPeer;
let teams: TeamsPeer;
let discord: DiscordPeer;

beforeAll(async () => {
  [slack, teams, discord] = await Promise.all([SlackPeer.start(), TeamsPeer.start(), DiscordPeer.start()]);
  server = await startTestServer({
    DELIVERY_RETRY_SCHEDULE: '0,0.2,0.4',
    DELIVERY_POLL_INTERVAL_MS: '50',
    SHUTDOWN_TIMEOUT_MS: '2000',
  });
});
afterAll(async () => {
  await server?.close();
  await Promise.all([slack?.close(), teams?.close(), discord?.close()]);
});

async function createChannel(owner: Session, stackId: string, input: ChannelInput) {
  return dataOf(await server.request(CreateChannelDocument, { stackId, input }, owner.token)).createChannel;
}

async function setCell(
  owner: Session,
  stackId: string,
  channelId: string,
  eventType: EventType,
  enabled: boolean,
) {
  return dataOf(
    await server.request(SetChannelCellDocument, { stackId, eventType, channelId, enabled }, owner.token),
  ).setEventPreference;
}

async function publish(owner: Session, stackId: string, eventType: EventType) {
  return dataOf(
    await server.request(
      PublishEventDocument,
      { input: { stackId, eventType, data: { commit: 'abc123' } } },
      owner.token,
    ),
  ).publishEvent;
}

async function deliveriesOf(owner: Session, stackId: string, channelId?: string) {
  return dataOf(await server.request(ChannelDeliveriesDocument, { id: stackId, channelId }, owner.token))
    .stack!.deliveries.nodes;
}

/** The stack's deliveries once none is PENDING any more. */
async function settled(owner: Session, stackId: string, count: number) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const rows = await deliveriesOf(owner, stackId);
    if (rows.length >= count && rows.every((row) => row.status !== 'PENDING')) return rows;
    if (Date.now() > deadline) throw new Error(`deliveries still pending: ${JSON.stringify(rows)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The event keys a channel's deliveries carried, as its log filtered by channelId lists them. */
async function eventKeysOf(owner: Session, stackId: string, channelId: string) {
  return (await deliveriesOf(owner, stackId, channelId)).map((row) => row.notification.eventKey).sort();
}

describe('several channels of one kind', () => {
  it('delivers to two Slack channels with different event columns only their events', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner);
    const deploys = await createChannel(owner, stackId, {
      name: 'Slack #deploys',
      slack: { url: slack.url, channel: '#deploys' },
    });
    const alerts = await createChannel(owner, stackId, {
      name: 'Slack #alerts',
      slack: { url: slack.url, channel: '#alerts' },
    });
    expect([deploys.channel.name, alerts.channel.name]).toEqual(['Slack #deploys', 'Slack #alerts']);
    expect(deploys.channel.id).not.toEqual(alerts.channel.id);
    await setCell(owner, stackId, deploys.channel.id, 'APP_AUTH', false);
    await setCell(owner, stackId, alerts.channel.id, 'STACK_REDEPLOY_OK', false);
    const before = slack.messages.length;

    await publish(owner, stackId, 'STACK_REDEPLOY_OK');
    await publish(owner, stackId, 'APP_AUTH');
    const rows = await settled(owner, stackId, 2);

    const shared = rows.filter((row) => row.channel === 'SLACK');
    expect(shared.every((row) => row.status === 'SUCCEEDED')).toBe(true);
    expect(await eventKeysOf(owner, stackId, deploys.channel.id)).toEqual(['stack.redeploy.ok']);
    expect(await eventKeysOf(owner, stackId, alerts.channel.id)).toEqual(['app.auth']);
    const received = slack.messages.slice(before).map((message) => message.channel);
    expect(received.sort()).toEqual(['#alerts', '#deploys']);
    // The log's kind filter still takes both.
    const bySlackKind = dataOf(
      await server.request(ChannelDeliveriesDocument, { id: stackId, channel: 'SLACK' }, owner.token),
    ).stack!.deliveries.nodes;
    expect(bySlackKind.map((row) => row.channelId).sort()).toEqual(
      [deploys.channel.id, alerts.channel.id].sort(),
    );
  });

  it('sends three webhooks with different event filters only their own events, each signed with its secret', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner);
    const events: EventType[] = ['STACK_REDEPLOY_OK', 'APP_AUTH', 'APP_DEAUTH'];
    const peers = await Promise.all(events.map(() => WebhookPeer.start([])));
    try {
      const hooks = [];
      for (const [index, peer] of peers.entries()) {
        const created = await createChannel(owner, stackId, {
          name: `hook ${index}`,
          webhook: { url: peer.url },
        });
        expect(created.signingSecret).toMatch(/^whsec_/);
        peer.useSecrets([created.signingSecret!]);
        hooks.push(created.channel.id);
      }
      // Each webhook keeps only its own event on: six cells in one call.
      const changes = hooks.flatMap((channelId, index) =>
        events
          .filter((_, other) => other !== index)
          .map((eventType) => ({ eventType, channelId, enabled: false })),
      );
      const cells = dataOf(
        await server.request(SetEventPreferencesDocument, { stackId, changes }, owner.token),
      ).setEventPreferences;
      expect(cells).toHaveLength(6);

      for (const eventType of events) await publish(owner, stackId, eventType);
      await settled(owner, stackId, 3);

      const received = peers.map((peer) => peer.verified.map((message) => message.payload.event_type));
      expect(received).toEqual([['stack.redeploy.ok'], ['app.auth'], ['app.deauth']]);
      expect(peers.every((peer) => peer.unverified.length === 0)).toBe(true);
    } finally {
      await Promise.all(peers.map((peer) => peer.close()));
    }
  });

  it('lists the stack channels oldest first, names them by kind when unnamed, and refuses a taken name', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner);
    const first = await createChannel(owner, stackId, { slack: { url: slack.url } });
    const second = await createChannel(owner, stackId, { slack: { url: slack.url } });
    expect([first.channel.name, second.channel.name]).toEqual(['Slack', 'Slack 2']);
    await expectNothingWritten(server, [owner], async () => {
      expectError(
        await server.request(
          CreateChannelDocument,
          { stackId, input: { name: 'Slack', teams: { url: teams.url } } },
          owner.token,
        ),
        'BAD_USER_INPUT',
        'input.name',
      );
    });
    const renamed = dataOf(
      await server.request(
        UpdateChannelDocument,
        { id: second.channel.id, input: { name: 'Ops room' } },
        owner.token,
      ),
    ).updateChannel.channel;
    expect(renamed).toMatchObject({
      id: second.channel.id,
      name: 'Ops room',
      kind: 'SLACK',
      configured: true,
    });
    const listed = dataOf(await server.request(StackSharedChannelsDocument, { id: stackId }, owner.token))
      .stack!.sharedChannels;
    expect(listed.map((channel) => [channel.id, channel.channelId, channel.kind, channel.name])).toEqual([
      [first.channel.id, first.channel.id, 'SLACK', 'Slack'],
      [second.channel.id, second.channel.id, 'SLACK', 'Ops room'],
    ]);
    const node = dataOf(
      await server.request(ChannelNodeDocument, { id: second.channel.id }, owner.token),
    ).node;
    expect(node).toMatchObject({ id: second.channel.id, name: 'Ops room', kind: 'SLACK' });
  });
});

describe('names asked for at once', () => {
  // On PostgreSQL the requests interleave between the name check and the insert; the unique index decides.
  it('gives a name to one channel only, and refuses the others as taken', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        server.request(
          CreateChannelDocument,
          { stackId, input: { name: 'Ops', teams: { url: teams.url } } },
          owner.token,
        ),
      ),
    );
    expect(answers.filter((answer) => answer.data?.createChannel).length).toBe(1);
    for (const answer of answers.filter((candidate) => candidate.errors)) {
      expect(answer.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
    }
    const listed = dataOf(await server.request(StackSharedChannelsDocument, { id: stackId }, owner.token))
      .stack!.sharedChannels;
    expect(listed.map((channel) => channel.name)).toEqual(['Ops']);
  });
});

describe('Microsoft Teams and Discord channels', () => {
  it('post an Adaptive Card to Teams and an embed to Discord for a published event, with their URLs masked', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner, 'shop', 'production');
    const teamsChannel = await createChannel(owner, stackId, {
      name: 'Teams ops',
      teams: { url: teams.url },
    });
    const discordChannel = await createChannel(owner, stackId, { discord: { url: discord.url } });
    expect(teamsChannel.channel).toMatchObject({
      kind: 'TEAMS',
      name: 'Teams ops',
      configured: true,
      enabled: true,
    });
    expect(discordChannel.channel).toMatchObject({ kind: 'DISCORD', name: 'Discord' });
    for (const created of [teamsChannel, discordChannel]) {
      const hint = 'urlHint' in created.channel ? String(created.channel.urlHint) : '';
      expect(hint).toMatch(/^127\.0\.0\.1:\d+\/…/);
      expect(hint).not.toContain('s3cr3t');
      expect(hint).not.toContain('abcDEF');
    }
    const cardsBefore = teams.cards.length;
    const messagesBefore = discord.messages.length;

    await publish(owner, stackId, 'STACK_REDEPLOY_OK');
    const rows = await settled(owner, stackId, 2);

    expect(rows.filter((row) => row.channel === 'TEAMS' || row.channel === 'DISCORD')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          channel: 'TEAMS',
          channelId: teamsChannel.channel.id,
          status: 'SUCCEEDED',
        }),
        expect.objectContaining({
          channel: 'DISCORD',
          channelId: discordChannel.channel.id,
          status: 'SUCCEEDED',
        }),
      ]),
    );
    const [card] = teams.cards.slice(cardsBefore);
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    expect(card.body[0]).toMatchObject({
      type: 'TextBlock',
      text: 'Stack redeployed successfully',
      color: 'Good',
    });
    expect(JSON.stringify(card.body)).toContain('shop');
    const [message] = discord.messages.slice(messagesBefore);
    expect(message.allowed_mentions).toEqual({ parse: [] });
    expect(message.embeds).toHaveLength(1);
    expect(message.embeds![0]).toMatchObject({
      title: 'Stack redeployed successfully',
      footer: { text: 'stack.redeploy.ok' },
    });
    expect(message.embeds![0].fields).toContainEqual(expect.objectContaining({ value: 'abc123' }));
  });

  it("waits as long as Discord's 429 answer says before trying again", async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner);
    const created = await createChannel(owner, stackId, { discord: { url: discord.url } });
    discord.rateLimit(0.35);
    await publish(owner, stackId, 'APP_AUTH');
    await settled(owner, stackId, 1);
    const attempts = await server.app.dataSource.query(
      server.database.kind === 'postgres'
        ? 'SELECT a.at, a.status_code FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id WHERE d.target_id = $1 ORDER BY a.id'
        : 'SELECT a.at, a.status_code FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id WHERE d.target_id = ? ORDER BY a.id',
      [created.channel.id],
    );
    const rows = attempts as { at: string | Date; status_code: number }[];
    expect(rows.map((row) => row.status_code)).toEqual([429, 200]);
    const at = (value: string | Date) =>
      new Date(value instanceof Date ? value : `${value.replace(' ', 'T')}Z`);
    // The retry schedule alone would wait 0 to 200 ms; Discord asked for 350.
    expect(at(rows[1].at).getTime() - at(rows[0].at).getTime()).toBeGreaterThanOrEqual(340);
  });

  it('refuses URLs that are not http(s), carry credentials, or are not one kind', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner);
    await expectNothingWritten(server, [owner], async () => {
      for (const [input, field] of [
        [{ teams: { url: 'ftp://teams.example.com/hook' } }, 'input.teams.url'],
        [{ discord: { url: 'https://user:pass@discord.example.com/api/webhooks/1/a' } }, 'input.discord.url'],
        [{ discord: { url: 'not a url' } }, 'input.discord.url'],
      ] as const) {
        expectError(
          await server.request(CreateChannelDocument, { stackId, input }, owner.token),
          'BAD_USER_INPUT',
          field,
        );
      }
      expectError(
        await server.request(
          CreateChannelDocument,
          { stackId, input: { teams: { url: teams.url }, discord: { url: discord.url } } },
          owner.token,
        ),
        'BAD_USER_INPUT',
        'input',
      );
      expectError(
        await server.request(CreateChannelDocument, { stackId, input: { name: 'nothing' } }, owner.token),
        'BAD_USER_INPUT',
        'input',
      );
    });
  });
});

describe('who may change channels', () => {
  it('lets neither a MEMBER, nor an ADMIN demoted to MEMBER, nor a settings:read token create, change or remove one', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner);
    const existing = await createChannel(owner, stackId, { teams: { url: teams.url } });
    const member = await server.addUser(owner, Role.MEMBER);
    const demoted = await server.addUser(owner, Role.ADMIN);
    dataOf(
      await server.request(SetUserRoleDocument, { userId: demoted.userId, role: 'MEMBER' }, owner.token),
    );
    const reader = await server.createToken(owner, [Scope.SETTINGS_READ]);
    const id = existing.channel.id;
    await expectNothingWritten(server, [owner], async () => {
      for (const token of [member.token, demoted.token, reader]) {
        expectError(
          await server.request(
            CreateChannelDocument,
            { stackId, input: { teams: { url: teams.url } } },
            token,
          ),
          'FORBIDDEN',
        );
        expectError(
          await server.request(UpdateChannelDocument, { id, input: { name: 'x' } }, token),
          'FORBIDDEN',
        );
        expectError(await server.request(DeleteChannelDocument, { id }, token), 'FORBIDDEN');
        expectError(
          await server.request(
            SetChannelCellDocument,
            { stackId, eventType: 'APP_AUTH', channelId: id, enabled: false },
            token,
          ),
          'FORBIDDEN',
        );
      }
    });
    expectError(
      await server.request(
        RedeliverChannelDocument,
        { filter: { stackId, channelId: id, status: 'DEAD' } },
        member.token,
      ),
      'FORBIDDEN',
    );
    // A MEMBER still sees the stack's channels; a webhook's URL (which may carry a secret) only as a hint.
    const hook = await createChannel(owner, stackId, {
      webhook: { url: 'https://hooks.example.com/in?key=s3cr3t' },
    });
    const seen = dataOf(await server.request(StackSharedChannelsDocument, { id: stackId }, member.token))
      .stack!.sharedChannels;
    expect(seen.map((channel) => channel.id)).toEqual([id, hook.channel.id]);
    expect(seen[1]).toMatchObject({ url: null, urlHint: 'hooks.example.com/…/in' });
    const asOwner = dataOf(await server.request(StackSharedChannelsDocument, { id: stackId }, owner.token))
      .stack!.sharedChannels;
    expect(asOwner[1]).toMatchObject({ url: 'https://hooks.example.com/in?key=s3cr3t' });
  });

  it('refuses a huge or blank name with a clear code and writes nothing', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner);
    const existing = await createChannel(owner, stackId, { teams: { url: teams.url } });
    await expectNothingWritten(server, [owner], async () => {
      for (const name of ['x'.repeat(100_000), '   ', '']) {
        expectError(
          await server.request(
            CreateChannelDocument,
            { stackId, input: { name, teams: { url: teams.url } } },
            owner.token,
          ),
          'BAD_USER_INPUT',
          'name',
        );
        expectError(
          await server.request(
            UpdateChannelDocument,
            { id: existing.channel.id, input: { name } },
            owner.token,
          ),
          'BAD_USER_INPUT',
          'name',
        );
      }
      // Settings of another kind than the channel's.
      expectError(
        await server.request(
          UpdateChannelDocument,
          { id: existing.channel.id, input: { discord: { url: discord.url } } },
          owner.token,
        ),
        'BAD_USER_INPUT',
        'input',
      );
    });
  });
});

describe('the deprecated kind-level operations', () => {
  it("act on the stack's oldest channel of the kind, and go on to the next when it is removed", async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner);
    const configured = dataOf(
      await server.request(ConfigureSlackDocument, { stackId, input: { url: slack.url } }, owner.token),
    ).configureSlack;
    const second = await createChannel(owner, stackId, { name: 'Slack two', slack: { url: slack.url } });
    const shared = async () =>
      dataOf(await server.request(StackSharedChannelsDocument, { id: stackId }, owner.token)).stack!
        .sharedChannels;
    const [oldest] = await shared();
    expect(oldest).toMatchObject({ kind: 'SLACK', name: 'Slack' });
    expect(configured.id).toBe(`SlackChannel:${stackId}`);

    // configureSlack changes the oldest; the other keeps its settings.
    dataOf(
      await server.request(
        ConfigureSlackDocument,
        { stackId, input: { url: slack.url, channel: '#changed' } },
        owner.token,
      ),
    );
    expect(
      (await shared()).map((channel) => ('channelName' in channel ? channel.channelName : null)),
    ).toEqual(['#changed', null]);
    // The kind-level list shows the oldest, and names it by channelId.
    const kindLevel = async () =>
      dataOf(await server.request(StackChannelsDocument, { id: stackId }, owner.token)).stack.channels.find(
        (channel) => channel.kind === 'SLACK',
      );
    expect(await kindLevel()).toMatchObject({ id: `SlackChannel:${stackId}`, configured: true });
    const kindLevelIds = await server.request(
      `query { stack(id: "${stackId}") { channels { kind channelId } } }`,
      {},
      owner.token,
    );
    expect(JSON.stringify(kindLevelIds.data)).toContain(`{"kind":"SLACK","channelId":"${oldest.id}"}`);

    // setEventPreference by kind sets the oldest channel's cell only.
    dataOf(
      await server.request(
        SetEventPreferenceDocument,
        { stackId, eventType: 'APP_AUTH', channel: 'SLACK', enabled: false },
        owner.token,
      ),
    );
    const matrix = dataOf(await server.request(StackChannelMatrixDocument, { id: stackId }, owner.token))
      .stack!.preferences;
    const appAuth = matrix.find((row) => row.eventType === 'APP_AUTH')!;
    expect(
      appAuth.channelCells
        .filter((cell) => cell.scope === 'SHARED')
        .map((cell) => [cell.channelId, cell.enabled]),
    ).toEqual([
      [oldest.id, false],
      [second.channel.id, true],
    ]);
    expect(appAuth.cells.find((cell) => cell.channel === 'SLACK')).toMatchObject({
      channelId: oldest.id,
      enabled: false,
    });
    expect(appAuth.cells.map((cell) => cell.channel)).toEqual([
      'BROWSER',
      'EMAIL',
      'HIPCHAT',
      'IOS',
      'SLACK',
      'WEBHOOK',
    ]);

    // removeChannel by kind removes the oldest: the kind now stands for the next one.
    const left = dataOf(
      await server.request(RemoveChannelDocument, { stackId, kind: 'SLACK' }, owner.token),
    ).removeChannel;
    expect(left).toMatchObject({ kind: 'SLACK', configured: true });
    expect((await shared()).map((channel) => channel.id)).toEqual([second.channel.id]);
  });

  it('keep cells set for a kind the stack has no channel of, and a new channel of that kind starts from them', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner);
    dataOf(
      await server.request(
        SetEventPreferenceDocument,
        { stackId, eventType: 'APP_AUTH', channel: 'WEBHOOK', enabled: false },
        owner.token,
      ),
    );
    const hook = await createChannel(owner, stackId, { webhook: { url: 'https://hooks.example.com/a' } });
    const matrix = dataOf(await server.request(StackChannelMatrixDocument, { id: stackId }, owner.token))
      .stack!.preferences;
    const cell = matrix
      .find((row) => row.eventType === 'APP_AUTH')!
      .channelCells.find((candidate) => candidate.channelId === hook.channel.id);
    expect(cell).toMatchObject({ enabled: false, isDefault: false, channel: 'WEBHOOK' });
  });
});

describe('Teams and Discord through the kind-level operations', () => {
  it('are refused: they are named by id only', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner);
    await createChannel(owner, stackId, { teams: { url: teams.url } });
    await expectNothingWritten(server, [owner], async () => {
      expectError(
        await server.request(
          SetEventPreferenceDocument,
          { stackId, eventType: 'APP_AUTH', channel: 'TEAMS', enabled: false },
          owner.token,
        ),
        'BAD_USER_INPUT',
        'channel',
      );
      expectError(
        await server.request(RemoveChannelDocument, { stackId, kind: 'TEAMS' }, owner.token),
        'BAD_USER_INPUT',
        'kind',
      );
    });
  });
});

describe('a channel of another stack of the same account', () => {
  it('is NOT_FOUND as a cell of this stack, for a test, and names no delivery of this stack', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner, 'one');
    const otherStackId = await createStack(server, owner, 'two');
    const other = await createChannel(owner, otherStackId, { teams: { url: teams.url } });
    await expectNothingWritten(server, [owner], async () => {
      expectError(
        await server.request(
          SetChannelCellDocument,
          { stackId, eventType: 'APP_AUTH', channelId: other.channel.id, enabled: false },
          owner.token,
        ),
        'NOT_FOUND',
      );
      expectError(
        await server.request(TestChannelByIdDocument, { stackId, channelId: other.channel.id }, owner.token),
        'NOT_FOUND',
      );
    });
    expect(await deliveriesOf(owner, stackId, other.channel.id)).toEqual([]);
  });
});

describe('removing a channel', () => {
  let idle: TestServer;
  beforeAll(async () => {
    // No delivery worker: deliveries wait in the outbox until the channel goes.
    idle = await startTestServer({ WORKERS: '0' });
  });
  afterAll(async () => {
    await idle?.close();
  });

  it('deletes its cells, fails its waiting deliveries, keeps them in the log, and forgets its id', async () => {
    const owner = await idle.createAccount();
    const stackId = await createStack(idle, owner);
    const { createChannel: created } = dataOf(
      await idle.request(
        CreateChannelDocument,
        { stackId, input: { name: 'to go', webhook: { url: 'https://hooks.example.com/a' } } },
        owner.token,
      ),
    );
    const id = created.channel.id;
    dataOf(
      await idle.request(
        SetChannelCellDocument,
        { stackId, eventType: 'APP_DEAUTH', channelId: id, enabled: false },
        owner.token,
      ),
    );
    const rotated = dataOf(
      await idle.request(RotateChannelSigningSecretDocument, { id }, owner.token),
    ).rotateChannelSigningSecret;
    expect(rotated.signingSecret).not.toEqual(created.signingSecret);
    for (const eventType of ['APP_AUTH', 'STACK_REDEPLOY_OK'] as const) {
      dataOf(
        await idle.request(PublishEventDocument, { input: { stackId, eventType, data: {} } }, owner.token),
      );
    }
    const cells = () => idle.app.dataSource.getRepository(ChannelPreference).countBy({ channelId: id });
    expect(await cells()).toBe(1);

    const removed = dataOf(await idle.request(DeleteChannelDocument, { id }, owner.token)).deleteChannel;
    expect(removed).toEqual({ deletedChannelId: id, stoppedDeliveries: 2 });

    expect(await cells()).toBe(0);
    const log = dataOf(
      await idle.request(ChannelDeliveriesDocument, { id: stackId, channelId: id }, owner.token),
    ).stack!.deliveries.nodes;
    expect(log.map((row) => [row.channelId, row.status])).toEqual([
      [id, 'FAILED'],
      [id, 'FAILED'],
    ]);
    expect(dataOf(await idle.request(ChannelNodeDocument, { id }, owner.token)).node).toBeNull();
    expectError(await idle.request(DeleteChannelDocument, { id }, owner.token), 'NOT_FOUND');
    // The filter by channel id still finds them, e.g. to start them over once a channel is set up again.
    const again = dataOf(
      await idle.request(
        RedeliverChannelDocument,
        { filter: { stackId, channelId: id, status: 'FAILED' } },
        owner.token,
      ),
    ).redeliverDeliveries;
    expect(again.count).toBe(2);
  });
});
