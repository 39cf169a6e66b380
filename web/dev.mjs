// `npm run dev`: the server, with the page rebuilt into web/dist on every change (reload the browser to see it).
// Either process ending ends the other, so Ctrl-C or a crash never leaves one behind.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const vite = path.join(
  path.dirname(createRequire(import.meta.url).resolve('vite/package.json')),
  'bin',
  'vite.js',
);

const children = [
  spawn(process.execPath, [vite, 'build', '--watch', '-c', 'web/vite.config.mts'], {
    cwd: root,
    stdio: 'inherit',
  }),
  spawn(process.execPath, ['dist/src/main.js'], { cwd: root, stdio: 'inherit' }),
];

function stopAll(signal = 'SIGTERM') {
  for (const child of children) if (child.exitCode === null) child.kill(signal);
}

for (const child of children) {
  child.on('exit', (code) => {
    process.exitCode ||= code ?? 1;
    stopAll();
  });
}
process.on('SIGINT', () => stopAll('SIGINT'));
process.on('SIGTERM', () => stopAll());
