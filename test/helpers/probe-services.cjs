// Run as `node probe-services.cjs <postgres url> <redis url>`: prints {"postgres":bool,"redis":bool}. A separate
// process so that test files, which jest collects synchronously, can know before defining their tests.
const net = require('node:net');
const { Client } = require('pg');

const TIMEOUT_MS = 2000;

async function postgres(url) {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: TIMEOUT_MS });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

function redis(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 6379) });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(TIMEOUT_MS, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

Promise.all([postgres(process.argv[2]), redis(process.argv[3])]).then(([postgres, redis]) => {
  process.stdout.write(JSON.stringify({ postgres, redis }));
});
