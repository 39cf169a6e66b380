// The end-to-end latency benchmark's other side: every channel's peer on loopback (an HTTP receiver for the webhook,
// Slack, Hipchat and Web Push, an HTTP/2 TLS APNs, an SMTP server) and the publisher, in one process, so the time a
// publish call starts and the time each delivery arrives are read from one clock. The peers answer at once and only
// note when what arrived, and of which event: by the notification id (the webhook's webhook-id, APNs' apns-id, the
// decrypted Web Push payload) or by a marker in the event's data (Slack, Hipchat, email).
import { createECDH, generateKeyPairSync, type ECDH } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { generate } from 'selfsigned';
import { SMTPServer } from 'smtp-server';
import { Pool } from 'undici';
import { Samples, summarize, type LatencySummary } from '../lib/stats';
import { serveBenchControl } from './control';

/** The part of http_ece (RFC 8188) used here; the package ships no types. */
interface Ece {
  decrypt(buffer: Buffer, params: { version: 'aes128gcm'; privateKey: ECDH; authSecret: string }): Buffer;
}
const ece = createRequire(__filename)('http_ece') as Ece;

export const CHANNELS = ['WEBHOOK', 'SLACK', 'HIPCHAT', 'EMAIL', 'IOS', 'BROWSER'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface RunCommand {
  url: string;
  token: string;
  stackId: string;
  webPush: { privateKey: string; auth: string };
  rate: number;
  warmupMs: number;
  durationMs: number;
}

export interface ChannelLatency {
  channel: Channel;
  published: number;
  received: number;
  latencyMs: LatencySummary;
}

export interface LatencyRun {
  published: number;
  publishErrors: number;
  firstPublishError: string | null;
  /** Publish call start to its answer. */
  publishMs: LatencySummary;
  channels: ChannelLatency[];
  /** How far the publishes fell behind their schedule at most: over a few ms, the publisher could not keep up. */
  maxScheduleLagMs: number;
}

const MARKER = /lat_(\d{7})/;
const marker = (seq: number) => `lat_${String(seq).padStart(7, '0')}`;
/** After the last publish, how long to wait for deliveries still on their way; at most DRAIN_LIMIT_MS in all. */
const IDLE_END_MS = 5000;
const DRAIN_LIMIT_MS = 20_000;

/** First arrival per channel and key (notification id or marker); later copies (retries) do not count. */
const arrivals = new Map<Channel, Map<string, number>>(CHANNELS.map((channel) => [channel, new Map()]));
let arrivalCount = 0;
let webPushKeys: { ecdh: ECDH; auth: string } | null = null;

function arrived(channel: Channel, key: string | null | undefined): void {
  if (!key) return;
  const seen = arrivals.get(channel)!;
  if (seen.has(key)) return;
  seen.set(key, performance.now());
  arrivalCount += 1;
}

function markerOf(body: Buffer | string): string | null {
  return MARKER.exec(typeof body === 'string' ? body : body.toString('latin1'))?.[0] ?? null;
}

function webPushId(body: Buffer): string | null {
  if (!webPushKeys) return null;
  try {
    const payload = ece.decrypt(body, {
      version: 'aes128gcm',
      privateKey: webPushKeys.ecdh,
      authSecret: webPushKeys.auth,
    });
    return (JSON.parse(payload.toString('utf8')) as { id?: string }).id ?? null;
  } catch {
    return null;
  }
}

const httpReceiver = http.createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const url = request.url ?? '';
    const body = Buffer.concat(chunks);
    if (url.startsWith('/hook')) {
      arrived('WEBHOOK', request.headers['webhook-id'] as string | undefined);
      response.writeHead(200).end();
    } else if (url.startsWith('/slack')) {
      arrived('SLACK', markerOf(body));
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    } else if (url.startsWith('/v1/rooms/message')) {
      arrived('HIPCHAT', markerOf(body));
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"sent"}');
    } else if (url.startsWith('/push/')) {
      arrived('BROWSER', webPushId(body));
      response.writeHead(201).end();
    } else {
      response.writeHead(404).end();
    }
  });
});
// Longer than the senders' idle timeouts, so the receiver never closes a connection a sender is about to reuse.
httpReceiver.keepAliveTimeout = 30_000;

const smtp = new SMTPServer({
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  closeTimeout: 100,
  onData(stream, _session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      arrived('EMAIL', markerOf(Buffer.concat(chunks)));
      callback();
    });
  },
});

async function startApns(cert: { key: string; cert: string }): Promise<http2.Http2SecureServer> {
  const server = http2.createSecureServer({ key: cert.key, cert: cert.cert });
  server.on('stream', (stream, headers) => {
    stream.resume();
    stream.on('end', () => {
      const apnsId = headers['apns-id'] as string | undefined;
      arrived('IOS', apnsId);
      stream.respond({ ':status': 200, ...(apnsId ? { 'apns-id': apnsId } : {}) }, { endStream: true });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

async function run(command: RunCommand): Promise<LatencyRun> {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(Buffer.from(command.webPush.privateKey, 'base64url'));
  webPushKeys = { ecdh, auth: command.webPush.auth };
  for (const seen of arrivals.values()) seen.clear();
  arrivalCount = 0;

  const url = new URL(command.url);
  const pool = new Pool(url.origin, { connections: 16 });
  const query = 'mutation($input: PublishEventInput!) { publishEvent(input: $input) { id } }';
  const warmupEvents = Math.round((command.warmupMs / 1000) * command.rate);
  const events = warmupEvents + Math.round((command.durationMs / 1000) * command.rate);
  const startedAt = new Float64Array(events);
  const idOf: (string | null)[] = new Array<string | null>(events).fill(null);
  const publishTimes = new Samples();
  let publishErrors = 0;
  let firstPublishError: string | null = null;
  let maxScheduleLagMs = 0;
  const calls: Promise<void>[] = [];
  const started = performance.now();
  for (let seq = 0; seq < events; seq++) {
    const due = started + (seq * 1000) / command.rate;
    await sleep(due - performance.now());
    const callAt = performance.now();
    maxScheduleLagMs = Math.max(maxScheduleLagMs, callAt - due);
    startedAt[seq] = callAt;
    const body = JSON.stringify({
      query,
      variables: {
        input: { stackId: command.stackId, eventType: 'JOB_FAIL', data: { benchMarker: marker(seq) } },
      },
    });
    calls.push(
      pool
        .request({
          path: url.pathname,
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${command.token}` },
        })
        .then(async (response) => {
          const text = await response.body.text();
          const id = /"publishEvent":\{"id":"([^"]+)"/.exec(text)?.[1];
          if (response.statusCode !== 200 || !id) throw new Error(`publish failed: ${text.slice(0, 200)}`);
          idOf[seq] = id;
          if (seq >= warmupEvents) publishTimes.push(performance.now() - callAt);
        })
        .catch((error: unknown) => {
          publishErrors += 1;
          firstPublishError ??= String(error);
        }),
    );
  }
  await Promise.all(calls);
  await pool.close();

  const expected = events * CHANNELS.length;
  const published = performance.now();
  let lastCount = -1;
  let lastChange = published;
  while (arrivalCount < expected && performance.now() - published < DRAIN_LIMIT_MS) {
    await sleep(100);
    if (arrivalCount !== lastCount) {
      lastCount = arrivalCount;
      lastChange = performance.now();
    } else if (performance.now() - lastChange > IDLE_END_MS) break;
  }

  const byId = new Set<Channel>(['WEBHOOK', 'IOS', 'BROWSER']);
  const channels = CHANNELS.map((channel): ChannelLatency => {
    const seen = arrivals.get(channel)!;
    const samples = new Samples();
    let received = 0;
    for (let seq = warmupEvents; seq < events; seq++) {
      const key = byId.has(channel) ? idOf[seq] : marker(seq);
      const at = key ? seen.get(key) : undefined;
      if (at === undefined) continue;
      received += 1;
      samples.push(at - startedAt[seq]);
    }
    return {
      channel,
      published: events - warmupEvents,
      received,
      latencyMs: summarize(samples.values()),
    };
  });
  return {
    published: events - warmupEvents,
    publishErrors,
    firstPublishError,
    publishMs: summarize(publishTimes.values()),
    channels,
    maxScheduleLagMs: Math.round(maxScheduleLagMs * 10) / 10,
  };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sn-bench-peers-'));
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
      { name: 'extKeyUsage', serverAuth: true },
    ],
  });
  const caFile = path.join(dir, 'ca.pem');
  fs.writeFileSync(caFile, pems.cert);
  const apnsKeyFile = path.join(dir, 'apns.p8');
  const apnsKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  fs.writeFileSync(apnsKeyFile, apnsKey.export({ type: 'pkcs8', format: 'pem' }));

  const apns = await startApns({ key: pems.private, cert: pems.cert });
  httpReceiver.listen(0, '127.0.0.1');
  await once(httpReceiver, 'listening');
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (server: { address(): AddressInfo | string | null }) => (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port(httpReceiver)}`;
  const env: Record<string, string> = {
    SMTP_URL: `smtp://127.0.0.1:${port(smtp.server)}`,
    HIPCHAT_API_URL: base,
    APNS_KEY_FILE: apnsKeyFile,
    APNS_KEY_ID: 'BENCHKEY01',
    APNS_TEAM_ID: 'BENCHTEAM1',
    APNS_TOPIC: 'com.example.bench',
    APNS_ADDRESS: '127.0.0.1',
    APNS_PORT: String(port(apns)),
    EXTRA_CA_FILE: caFile,
  };
  serveBenchControl({
    url: base,
    async close() {
      httpReceiver.closeAllConnections();
      await Promise.all([
        new Promise<void>((resolve) => httpReceiver.close(() => resolve())),
        new Promise<void>((resolve) => apns.close(() => resolve())),
        new Promise<void>((resolve) => smtp.close(() => resolve())),
      ]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
    answer(question, args) {
      if (question === 'env') return env;
      if (question === 'run') return run(args as RunCommand);
      return null;
    },
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
