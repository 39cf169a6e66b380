// The fan-out load process: N graphql-ws subscribers on raw `ws` sockets (a minimal graphql-transport-ws client, so
// the load costs as little as possible and the same for every server) plus the publisher, so publish and receipt
// times come from one clock. Driven by its parent over IPC; every phase is bounded in events and time.
import { randomUUID } from 'node:crypto';
import { Pool } from 'undici';
import WebSocket from 'ws';
import { Samples, summarize, round } from '../lib/stats';

export type Mode = 'app' | 'bare';

export interface ConnectCommand {
  type: 'connect';
  mode: Mode;
  url: string;
  count: number;
  /** app: the subscribers' token (settings:read) and the publisher's (events:publish), and the stack. */
  token?: string;
  stackId?: string;
}
export interface PhaseCommand {
  type: 'phase';
  rate: number;
  events: number;
}
export type LoadCommand = ConnectCommand | PhaseCommand | { type: 'warmup' } | { type: 'close' };

export interface PhaseResult {
  rate: number;
  events: number;
  subscribers: number;
  expected: number;
  delivered: number;
  /** Messages delivered per second, from the first publish call to the last receipt. */
  messagesPerSecond: number;
  latencyMs: ReturnType<typeof summarize>;
  publishMs: ReturnType<typeof summarize>;
  publishErrors: number;
  firstPublishError: string | null;
}

const APP_SUBSCRIPTION =
  'subscription { notificationReceived { id stack { id name environment } eventType eventKey title data occurredAt timestamp createdAt read browserAlert } }';
const BARE_SUBSCRIPTION = 'subscription { notificationReceived }';
const CONNECT_BATCH = 200;
const MAX_SEQ = 1 << 16;
/** A phase ends when every message arrived, or nothing arrived for this long. */
const IDLE_END_MS = 5_000;
/** After the last publish, a phase waits at most this long for the remaining messages. */
const DRAIN_LIMIT_MS = 30_000;
const SEQ_MARKER = Buffer.from('"seq":');

const sockets: WebSocket[] = [];
const sentAt = new Float64Array(MAX_SEQ);
let nextSeq = 1;
let warmed = new Set<WebSocket>();
let phaseFirstSeq = Number.MAX_SAFE_INTEGER;
let received = 0;
let lastReceipt = 0;
let latencies = new Samples();
let publish: (seq: number) => Promise<void> = async () => {};
let closedUnexpectedly = 0;

function send(message: unknown): void {
  process.send!(message);
}

/** The "seq" number in a next message, without parsing the JSON; -1 when there is none. */
function seqOf(data: Buffer): number {
  const at = data.indexOf(SEQ_MARKER);
  if (at < 0) return -1;
  let value = 0;
  for (let index = at + SEQ_MARKER.length; index < data.length; index++) {
    const digit = data[index] - 48;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
  }
  return value;
}

function onNext(socket: WebSocket, data: Buffer): void {
  const seq = seqOf(data);
  if (seq < 0) return;
  if (seq === 0) {
    warmed.add(socket);
    return;
  }
  if (seq < phaseFirstSeq) return;
  const now = performance.now();
  received += 1;
  lastReceipt = now;
  latencies.push(now - sentAt[seq]);
}

function openSocket(command: ConnectCommand): Promise<void> {
  const wsUrl = command.url.replace(/^http/, 'ws');
  const query = command.mode === 'app' ? APP_SUBSCRIPTION : BARE_SUBSCRIPTION;
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl, 'graphql-transport-ws', { perMessageDeflate: false });
    let acknowledged = false;
    socket.on('open', () => {
      socket.send(
        JSON.stringify({
          type: 'connection_init',
          payload: command.token ? { authorization: `Bearer ${command.token}` } : {},
        }),
      );
    });
    socket.on('message', (data: Buffer) => {
      if (acknowledged) {
        onNext(socket, data);
        return;
      }
      if (data.includes('"connection_ack"')) {
        acknowledged = true;
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
        sockets.push(socket);
        resolve();
      } else if (data.includes('"ping"')) {
        socket.send('{"type":"pong"}');
      }
    });
    socket.on('error', (error) => {
      if (!acknowledged) reject(error);
    });
    socket.on('close', (code) => {
      if (!acknowledged) reject(new Error(`closed with ${code} before connection_ack`));
      else if (code !== 1000 && code !== 1005) closedUnexpectedly += 1;
    });
  });
}

function publisher(command: ConnectCommand): (seq: number) => Promise<void> {
  const url = new URL(command.url);
  const pool = new Pool(url.origin, { connections: 8 });
  if (command.mode === 'bare') {
    return async (seq) => {
      const now = new Date();
      const body = JSON.stringify({
        id: randomUUID(),
        stack: { id: 'b2b1b3c4-0000-4000-8000-000000000001', name: 'web', environment: 'production' },
        eventType: 'STACK_REDEPLOY_OK',
        eventKey: 'stack.redeploy.ok',
        title: 'Stack redeployed successfully',
        data: { seq },
        occurredAt: now.toISOString(),
        timestamp: Math.floor(now.getTime() / 1000),
        createdAt: now.toISOString(),
        read: false,
        browserAlert: true,
      });
      const response = await pool.request({
        path: '/publish',
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      });
      await response.body.text();
      if (response.statusCode !== 200) throw new Error(`publish answered ${response.statusCode}`);
    };
  }
  const query = 'mutation($input: PublishEventInput!) { publishEvent(input: $input) { id } }';
  return async (seq) => {
    const body = JSON.stringify({
      query,
      variables: { input: { stackId: command.stackId, eventType: 'STACK_REDEPLOY_OK', data: { seq } } },
    });
    const response = await pool.request({
      path: url.pathname,
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${command.token}` },
    });
    const text = await response.body.text();
    if (response.statusCode !== 200 || text.includes('"errors"'))
      throw new Error(`publish failed: ${text.slice(0, 200)}`);
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

async function connect(command: ConnectCommand): Promise<void> {
  publish = publisher(command);
  const started = performance.now();
  let failed = 0;
  let firstError: string | null = null;
  for (let opened = 0; opened < command.count; opened += CONNECT_BATCH) {
    const batch = Math.min(CONNECT_BATCH, command.count - opened);
    const results = await Promise.allSettled(Array.from({ length: batch }, () => openSocket(command)));
    for (const result of results) {
      if (result.status === 'rejected') {
        failed += 1;
        firstError ??= String(result.reason);
      }
    }
  }
  send({
    type: 'connected',
    count: sockets.length,
    failed,
    firstError,
    ms: round(performance.now() - started, 0),
  });
}

/** Publishes seq 0 until every socket has received one: proof that every subscription is live. */
async function warmup(): Promise<void> {
  const started = performance.now();
  warmed = new Set();
  while (warmed.size < sockets.length && performance.now() - started < 60_000) {
    await publish(0).catch(() => {});
    await sleep(500);
  }
  send({ type: 'warm', live: warmed.size, ms: round(performance.now() - started, 0) });
}

async function phase(command: PhaseCommand): Promise<void> {
  latencies = new Samples();
  received = 0;
  lastReceipt = 0;
  phaseFirstSeq = nextSeq;
  const publishTimes = new Samples();
  let publishErrors = 0;
  let firstPublishError: string | null = null;
  const expected = command.events * sockets.length;
  const started = performance.now();
  const calls: Promise<void>[] = [];
  for (let index = 0; index < command.events; index++) {
    await sleep(started + (index * 1000) / command.rate - performance.now());
    const seq = nextSeq++;
    const callAt = performance.now();
    sentAt[seq] = callAt;
    calls.push(
      publish(seq).then(
        () => publishTimes.push(performance.now() - callAt),
        (error: unknown) => {
          publishErrors += 1;
          firstPublishError ??= String(error);
        },
      ),
    );
  }
  await Promise.all(calls);
  const published = performance.now();
  let lastCount = -1;
  let lastChange = performance.now();
  while (received < expected && performance.now() - published < DRAIN_LIMIT_MS) {
    await sleep(50);
    if (received !== lastCount) {
      lastCount = received;
      lastChange = performance.now();
    } else if (performance.now() - lastChange > IDLE_END_MS) break;
  }
  const span = (lastReceipt || performance.now()) - started;
  const result: PhaseResult = {
    rate: command.rate,
    events: command.events,
    subscribers: sockets.length,
    expected,
    delivered: received,
    messagesPerSecond: round(received / (span / 1000), 0),
    latencyMs: summarize(latencies.values()),
    publishMs: summarize(publishTimes.values()),
    publishErrors,
    firstPublishError,
  };
  phaseFirstSeq = Number.MAX_SAFE_INTEGER;
  send({ type: 'phase', result, closedUnexpectedly });
}

async function closeAll(): Promise<void> {
  await Promise.all(
    sockets.map(
      (socket) =>
        new Promise<void>((resolve) => {
          if (socket.readyState === WebSocket.CLOSED) return resolve();
          socket.once('close', () => resolve());
          socket.close(1000);
          setTimeout(() => {
            socket.terminate();
            resolve();
          }, 5000).unref();
        }),
    ),
  );
  sockets.length = 0;
  send({ type: 'closed' });
}

process.on('message', (command: LoadCommand) => {
  const run = (): Promise<void> => {
    switch (command.type) {
      case 'connect':
        return connect(command);
      case 'warmup':
        return warmup();
      case 'phase':
        return phase(command);
      case 'close':
        return closeAll();
    }
  };
  run().catch((error: unknown) => send({ type: 'error', error: String(error) }));
});
process.on('disconnect', () => process.exit(0));
