// Server processes over one database with a webhook receiver, for tests that stop a process while it delivers
// (kill -9, SIGTERM) and check what the next process sends. Registers its own beforeAll and afterAll.
import { randomBytes } from 'node:crypto';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { StackDeliveriesDocument } from '../generated/graphql';
import { WebhookPeer } from '../peers/webhook-peer';
import { bootstrapAccount } from './cli';
import { createTestDatabase, type TestDatabase } from './database';
import { dataOf, graphqlRequest, type GraphQLResponse } from './graphql';
import { startServerProcess, type ServiceProcess } from './processes';
import { webhookOnlyStack } from './webhook-stack';

export interface DeliveryRun {
  env: Record<string, string>;
  token: string;
  /** A stack whose JOB_FAIL events go only to the webhook receiver. */
  stackId: string;
  first: ServiceProcess;
  /** An operation with the owner's token, through the first process unless another URL is given. */
  request<R, V>(document: TypedDocumentNode<R, V>, variables: V, url?: string): Promise<GraphQLResponse<R>>;
  /** Another process on the same database and configuration. */
  startAnother(): Promise<ServiceProcess>;
  /** Reads the webhook deliveries through `url` until all (and `count`, when given) have SUCCEEDED. */
  untilAllSucceeded(url: string, options: { count?: number; timeoutMs: number }): Promise<void>;
}

export function deliveryProcesses(): {
  peer(): WebhookPeer;
  start(env: Record<string, string>): Promise<DeliveryRun>;
} {
  let database: TestDatabase;
  let peer: WebhookPeer;
  const processes: ServiceProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    peer = await WebhookPeer.start([]);
  });
  afterAll(async () => {
    await Promise.all(processes.map((process) => process.stop('SIGKILL')));
    await peer?.close();
    await database?.drop();
  });

  async function startProcess(env: Record<string, string>): Promise<ServiceProcess> {
    const process = await startServerProcess(env);
    processes.push(process);
    return process;
  }

  return {
    peer: () => peer,
    async start(overrides) {
      const env = {
        DATABASE_URL: database.url,
        DATA_DIR: database.dir,
        ALLOW_PRIVATE_NETWORK_TARGETS: 'true',
        ...overrides,
      };
      const { token } = await bootstrapAccount(env, `processes-${randomBytes(3).toString('hex')}`);
      const first = await startProcess(env);
      const stackId = await webhookOnlyStack(first.url, token, peer);
      const request = <R, V>(document: TypedDocumentNode<R, V>, variables: V, url = first.url) =>
        graphqlRequest(url, document, variables, token);
      return {
        env,
        token,
        stackId,
        first,
        request,
        startAnother: () => startProcess(env),
        async untilAllSucceeded(url, { count, timeoutMs }) {
          const deadline = Date.now() + timeoutMs;
          for (;;) {
            const { stack } = dataOf(
              await request(StackDeliveriesDocument, { id: stackId, first: 100, channel: 'WEBHOOK' }, url),
            );
            const statuses = stack.deliveries.edges.map((edge) => edge.node.status);
            const complete = count === undefined || statuses.length === count;
            if (complete && statuses.every((status) => status === 'SUCCEEDED')) return;
            if (Date.now() > deadline) throw new Error(`not all delivered: ${JSON.stringify(statuses)}`);
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        },
      };
    },
  };
}
