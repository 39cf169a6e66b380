// Builds the stack notifications page into web/dist: the app with hashed assets, and the service worker as /sw.js.
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { build, defineConfig, type Plugin } from 'vite';

const root = import.meta.dirname;
const outDir = path.join(root, 'dist');
const serviceWorkerEntry = path.join(root, 'src', 'sw.ts');

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** Text files worth compressing. index.html is left out: the server fills it in at each request. */
const COMPRESSIBLE = /\.(?:js|mjs|css|svg|json|webmanifest|txt|map)$/;
/** Below this, the headers of an encoded answer cost about what compression saves. */
const MIN_COMPRESS_BYTES = 256;

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

/**
 * Writes name.br and name.gz beside each text file of the build, at the highest levels (a build pays once what every
 * request would otherwise pay); src/web.ts serves them to browsers that accept them. A copy that is not smaller is
 * not written.
 */
async function precompress(dir: string): Promise<void> {
  const files = (await filesUnder(dir)).filter((file) => COMPRESSIBLE.test(file));
  await Promise.all(
    files.map(async (file) => {
      const content = await fs.readFile(file);
      if (content.length < MIN_COMPRESS_BYTES) return;
      const [br, gz] = await Promise.all([
        brotli(content, {
          params: {
            [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
            [zlib.constants.BROTLI_PARAM_SIZE_HINT]: content.length,
          },
        }),
        gzip(content, { level: zlib.constants.Z_BEST_COMPRESSION }),
      ]);
      if (br.length < content.length) await fs.writeFile(`${file}.br`, br);
      if (gz.length < content.length) await fs.writeFile(`${file}.gz`, gz);
    }),
  );
}

/**
 * The service worker is built on its own, as one classic script at the site root: its scope must be "/", and
 * code it shares with the page (the notification text) must not become a chunk that it would have to import. Then,
 * with every file written, each gets its compressed copies.
 */
function serviceWorker(): Plugin {
  return {
    name: 'stack-notifications:service-worker',
    apply: 'build',
    buildStart() {
      this.addWatchFile(serviceWorkerEntry);
    },
    async closeBundle() {
      await build({
        configFile: false,
        root,
        logLevel: 'warn',
        build: {
          outDir,
          emptyOutDir: false,
          copyPublicDir: false,
          lib: {
            entry: serviceWorkerEntry,
            formats: ['iife'],
            name: 'serviceWorker',
            fileName: () => 'sw.js',
          },
        },
      });
      // Here rather than in a plugin of its own: closeBundle hooks run in parallel, and sw.js must exist by now.
      await precompress(outDir);
    },
  };
}

export default defineConfig({
  root,
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  plugins: [serviceWorker()],
  build: {
    outDir,
    emptyOutDir: true,
    // Inlined data: URLs would need a looser Content-Security-Policy.
    assetsInlineLimit: 0,
    target: 'es2022',
  },
});
