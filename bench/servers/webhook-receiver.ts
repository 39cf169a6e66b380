// The delivery benchmark's receiver: a plain keep-alive HTTP server that answers 200 at once, counts arrivals and
// verifies the Standard Webhooks signature of a sample (every VERIFY_EVERY-th request) as a customer would.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { serveBenchControl } from './control';

const VERIFY_EVERY = 50;

let secret = process.env.WEBHOOK_SECRET ?? '';
let received = 0;
let verified = 0;
let rejected = 0;
let firstAt = 0;
let lastAt = 0;
const ids = new Set<string>();

const server = http.createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const now = performance.now();
    if (received === 0) firstAt = now;
    lastAt = now;
    received += 1;
    ids.add(String(request.headers['webhook-id']));
    if (received % VERIFY_EVERY === 0 && secret) {
      try {
        new Webhook(secret).verify(Buffer.concat(chunks).toString('utf8'), {
          'webhook-id': String(request.headers['webhook-id']),
          'webhook-timestamp': String(request.headers['webhook-timestamp']),
          'webhook-signature': String(request.headers['webhook-signature']),
        });
        verified += 1;
      } catch {
        rejected += 1;
      }
    }
    response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
});
// Longer than the senders' idle timeouts, so the receiver never closes a connection a sender is about to reuse.
server.keepAliveTimeout = 30_000;

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  serveBenchControl({
    url: `http://127.0.0.1:${port}/hook`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    answer(question, args) {
      if (question === 'reset') {
        received = verified = rejected = firstAt = lastAt = 0;
        ids.clear();
        secret = String((args as { secret?: string } | undefined)?.secret ?? secret);
        return true;
      }
      return { received, distinctIds: ids.size, verified, rejected, spanMs: lastAt - firstAt };
    },
  });
});
