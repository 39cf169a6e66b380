// Relay clients compile against the schema: relay-compiler accepts @connection on the notification history and the
// delivery log (read both ways), @refetchable on Stack, Notification and WebhookChannel fragments, and refuses
// @refetchable on a type that is not a Node. It runs in a temporary directory on copies of test/relay/documents, so no
// artifact lands in the repository; the operations it writes are then run against the real server as Relay would
// send them.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSchema, printSortedSchema } from '../src/schema';
import { Scope } from '../src/modules/accounts/api-token.entity';
import { ConfigureWebhookDocument, PublishEventDocument } from './generated/graphql';
import { dataOf } from './helpers/graphql';
import { startTestServer, type TestServer } from './helpers/server';
import { createStack } from './helpers/settings-fixtures';

const documents = path.join(__dirname, 'relay', 'documents');
const invalid = path.join(__dirname, 'relay', 'invalid');
const relayCli = require.resolve('relay-compiler/cli.js');

interface CompilerRun {
  code: number | null;
  output: string;
  artifacts: string[];
  dir: string;
}

const directories: string[] = [];

/** Runs relay-compiler over copies of the documents in `sources`, against the schema the code builds. */
async function compile(sources: string[]): Promise<CompilerRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-notifications-relay-'));
  directories.push(dir);
  fs.mkdirSync(path.join(dir, 'src'));
  fs.mkdirSync(path.join(dir, '__generated__'));
  fs.copyFileSync(path.join(__dirname, 'relay', 'graphql-tag.ts'), path.join(dir, 'graphql-tag.ts'));
  for (const source of sources) {
    for (const file of fs.readdirSync(source)) {
      fs.copyFileSync(path.join(source, file), path.join(dir, 'src', file));
    }
  }
  fs.writeFileSync(path.join(dir, 'schema.graphql'), printSortedSchema(await createSchema()));
  fs.writeFileSync(
    path.join(dir, 'relay.config.json'),
    JSON.stringify({
      src: './src',
      schema: './schema.graphql',
      language: 'typescript',
      artifactDirectory: './__generated__',
    }),
  );
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [relayCli, 'relay.config.json'], { cwd: dir, timeout: 60_000 });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ code: exitCode, output: text }));
  });
  return { code, output, artifacts: fs.readdirSync(path.join(dir, '__generated__')).sort(), dir };
}

/** The operation text of a generated request artifact. */
function operationText(run: CompilerRun, name: string): string {
  const source = fs.readFileSync(path.join(run.dir, '__generated__', `${name}.graphql.ts`), 'utf8');
  const match = /"text": ("(?:[^"\\]|\\.)*")/.exec(source);
  if (!match) throw new Error(`no operation text in ${name}`);
  return JSON.parse(match[1]) as string;
}

/** The connection metadata of a generated fragment artifact, as the pagination hooks read it. */
function connectionDirection(run: CompilerRun, fragment: string): string | undefined {
  const source = fs.readFileSync(path.join(run.dir, '__generated__', `${fragment}.graphql.ts`), 'utf8');
  return /"direction": "(\w+)"/.exec(source)?.[1];
}

afterAll(() => {
  for (const dir of directories) fs.rmSync(dir, { recursive: true, force: true });
});

describe('relay-compiler', () => {
  let run: CompilerRun;
  beforeAll(async () => {
    run = await compile([documents]);
  }, 90_000);

  it('compiles the documents and writes their artifacts', () => {
    expect({ code: run.code, output: run.code === 0 ? '' : run.output }).toEqual({ code: 0, output: '' });
    expect(run.artifacts).toEqual(
      [
        'DeliveryLogPaginationQuery',
        'DeliveryLogQuery',
        'DeliveryLog_stack',
        'NotificationHistoryPaginationQuery',
        'NotificationHistoryQuery',
        'NotificationHistory_stack',
        'NotificationRowRefetchQuery',
        'NotificationRow_notification',
        'StackHeaderNodeQuery',
        'StackHeaderRefetchQuery',
        'StackHeader_stack',
        'WebhookChannelCardRefetchQuery',
        'WebhookChannelCard_channel',
      ].map((name) => `${name}.graphql.ts`),
    );
    expect(connectionDirection(run, 'NotificationHistory_stack')).toBe('bidirectional');
    expect(connectionDirection(run, 'DeliveryLog_stack')).toBe('backward');
    expect(operationText(run, 'NotificationRowRefetchQuery')).toMatch(/node\(id: \$id\)/);
  });

  it('refuses @refetchable on a fragment of a type that is not a Node', async () => {
    const refused = await compile([documents, invalid]);
    expect(refused.code).not.toBe(0);
    expect(refused.output).toMatch(/Invalid use of @refetchable on fragment 'EventTypeBadge_eventType'/);
  }, 90_000);

  describe('the operations it wrote, run against the server', () => {
    let server: TestServer;
    let token: string;
    let stackId: string;
    let published: string[];

    beforeAll(async () => {
      server = await startTestServer({ WORKERS: '0' });
      const owner = await server.createAccount();
      token = owner.token;
      stackId = await createStack(server, owner, 'relay');
      dataOf(
        await server.request(
          ConfigureWebhookDocument,
          { stackId, input: { url: 'http://127.0.0.1:9/hook' } },
          token,
        ),
      );
      const publisher = await server.createToken(owner, [Scope.EVENTS_PUBLISH]);
      published = [];
      for (let index = 0; index < 5; index += 1) {
        const { publishEvent } = dataOf(
          await server.request(
            PublishEventDocument,
            { input: { stackId, eventType: 'JOB_FAIL', data: { index } } },
            publisher,
          ),
        );
        published.push(publishEvent.id);
      }
    });
    afterAll(async () => {
      await server?.close();
    });

    type Page = {
      edges: { node: { id: string }; cursor: string }[];
      pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string; endCursor: string };
    };

    async function execute(name: string, variables: Record<string, unknown>) {
      return dataOf(
        await server.request<Record<string, unknown>, unknown>(operationText(run, name), variables, token),
      );
    }

    it('pages the history forward, then backward as loadPrevious does, through Query.node', async () => {
      const newestFirst = [...published].reverse();
      // loadNext: the other direction's variables are sent as null.
      const forward = (await execute('NotificationHistoryPaginationQuery', {
        id: stackId,
        first: 2,
        after: null,
        last: null,
        before: null,
      })) as { node: { id: string; notifications: Page } };
      expect(forward.node.id).toBe(stackId);
      expect(forward.node.notifications.edges.map((edge) => edge.node.id)).toEqual(newestFirst.slice(0, 2));
      const next = (await execute('NotificationHistoryPaginationQuery', {
        id: stackId,
        first: 2,
        after: forward.node.notifications.pageInfo.endCursor,
        last: null,
        before: null,
      })) as { node: { notifications: Page } };
      expect(next.node.notifications.edges.map((edge) => edge.node.id)).toEqual(newestFirst.slice(2, 4));
      // loadPrevious from the second page's start.
      const previous = (await execute('NotificationHistoryPaginationQuery', {
        id: stackId,
        first: null,
        after: null,
        last: 2,
        before: next.node.notifications.pageInfo.startCursor,
      })) as { node: { notifications: Page } };
      expect(previous.node.notifications.edges.map((edge) => edge.node.id)).toEqual(newestFirst.slice(0, 2));
      expect(previous.node.notifications.pageInfo).toMatchObject({
        hasPreviousPage: false,
        hasNextPage: true,
      });
    });

    it('pages the delivery log backward and refetches a stack and a notification by id', async () => {
      const log = (await execute('DeliveryLogPaginationQuery', { id: stackId, last: 3, before: null })) as {
        node: { deliveries: Page };
      };
      expect(log.node.deliveries.edges).toHaveLength(3);
      expect(log.node.deliveries.pageInfo.hasPreviousPage).toBe(true);
      expect(await execute('StackHeaderRefetchQuery', { id: stackId })).toMatchObject({
        node: { __typename: 'Stack', id: stackId, name: 'relay' },
      });
      expect(await execute('NotificationRowRefetchQuery', { id: published[0] })).toMatchObject({
        node: { __typename: 'Notification', id: published[0], eventType: 'JOB_FAIL' },
      });
      expect(await execute('StackHeaderNodeQuery', { id: published[0] })).toEqual({
        node: { __typename: 'Notification', id: published[0] },
      });
      // A channel has no row id of its own: its derived id names the stack.
      expect(await execute('WebhookChannelCardRefetchQuery', { id: `WebhookChannel:${stackId}` })).toEqual({
        node: {
          __typename: 'WebhookChannel',
          id: `WebhookChannel:${stackId}`,
          configured: true,
          enabled: true,
          urlHint: '127.0.0.1:9/…hook',
          secretHint: expect.stringMatching(/^whsec_…/),
        },
      });
    });
  });
});
