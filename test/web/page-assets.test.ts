// The page's files over HTTP: Brotli or gzip as the browser accepts, the same bytes once decoded, hashed assets cached
// for a year, and the page itself and the service worker revalidated.
import http from 'node:http';
import zlib from 'node:zlib';
import { acceptedEncodings } from '../../src/web';
import { startTestServer, type TestServer } from '../helpers/server';
import { buildPageIfStale } from './build-page';

let server: TestServer;

beforeAll(async () => {
  buildPageIfStale();
  server = await startTestServer({ LOG_LEVEL: 'warn' });
}, 120_000);

afterAll(async () => {
  await server?.close();
});

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A GET with Node's http client, which leaves the body as it came (fetch would decode it). */
function get(path: string, acceptEncoding?: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      new URL(path, server.url),
      { headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
  });
}

async function pageAssets(): Promise<{ script: string; stylesheet: string }> {
  const html = (await get('/')).body.toString('utf8');
  const script = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
  const stylesheet = /<link[^>]+href="(\/assets\/[^"]+\.css)"/.exec(html)?.[1];
  if (!script || !stylesheet) throw new Error(`no hashed script or stylesheet in ${html}`);
  return { script, stylesheet };
}

const YEAR_IMMUTABLE = 'public, max-age=31536000, immutable';

describe('the page over HTTP', () => {
  it('sends hashed assets in Brotli to browsers that take it, cached for a year', async () => {
    const { script, stylesheet } = await pageAssets();
    for (const [asset, type] of [
      [script, /^text\/javascript|^application\/javascript/],
      [stylesheet, /^text\/css/],
    ] as const) {
      const plain = await get(asset, 'identity');
      const br = await get(asset, 'gzip, deflate, br, zstd');
      expect(br.status).toBe(200);
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.headers.vary).toMatch(/Accept-Encoding/i);
      expect(br.headers['content-type']).toMatch(type);
      expect(br.headers['cache-control']).toBe(YEAR_IMMUTABLE);
      expect(br.body.length).toBeLessThan(plain.body.length / 2);
      expect(zlib.brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    }
  });

  it('sends gzip where Brotli is not accepted, and the file as it is where neither is', async () => {
    const { script } = await pageAssets();
    const gz = await get(script, 'gzip, deflate');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers.vary).toMatch(/Accept-Encoding/i);
    expect(gz.headers['content-type']).toMatch(/javascript/);
    expect(gz.headers['cache-control']).toBe(YEAR_IMMUTABLE);

    const refusingBr = await get(script, 'br;q=0, gzip;q=0.5');
    expect(refusingBr.headers['content-encoding']).toBe('gzip');

    const plain = await get(script);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/Accept-Encoding/i);
    expect(plain.headers['cache-control']).toBe(YEAR_IMMUTABLE);
    expect(zlib.gunzipSync(gz.body).equals(plain.body)).toBe(true);
  });

  it('has the page and the service worker revalidated on each visit', async () => {
    for (const path of ['/', '/people', '/tokens', '/devices', '/stacks/any/deliveries']) {
      const page = await get(path, 'br, gzip');
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.headers['cache-control']).toBe('no-cache');
    }
    const worker = await get('/sw.js', 'br, gzip');
    expect(worker.headers['content-encoding']).toBe('br');
    expect(worker.headers['cache-control']).toBe('no-cache');
    expect(zlib.brotliDecompressSync(worker.body).toString('utf8')).toContain('push');
  });

  it('does not leave the build folder for an encoded path', async () => {
    const outside = await get('/assets/..%2f..%2fpackage.json', 'br, gzip');
    expect(outside.body.toString('utf8')).not.toContain('"name": "stack-notifications"');
  });
});

describe('acceptedEncodings', () => {
  it('reads q-values and the wildcard', () => {
    expect([...acceptedEncodings('gzip, deflate, br')]).toEqual(['gzip', 'deflate', 'br']);
    expect(acceptedEncodings('br;q=0, gzip').has('br')).toBe(false);
    expect(acceptedEncodings('*').has('br')).toBe(true);
    expect(acceptedEncodings(undefined).size).toBe(0);
  });
});
