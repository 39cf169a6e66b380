// Builds the stack notifications page into web/dist: the app with hashed assets, and the service worker as /sw.js.
import path from 'node:path';
import { build, defineConfig, type Plugin } from 'vite';

const root = import.meta.dirname;
const outDir = path.join(root, 'dist');
const serviceWorkerEntry = path.join(root, 'src', 'sw.ts');

/**
 * The service worker is built on its own, as one classic script at the site root: its scope must be "/", and
 * code it shares with the page (the notification text) must not become a chunk that it would have to import.
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
