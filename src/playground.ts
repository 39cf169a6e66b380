// GraphiQL served from this server's own dependencies, so the playground works with no internet access.
import express, { type Router } from 'express';
import fs from 'node:fs';
import path from 'node:path';

function packageDir(name: string): string {
  return path.dirname(require.resolve(`${name}/package.json`));
}

function escapeJsonForHtml(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

export function playgroundHtml(options: { endpoint: string; token: string | null }): string {
  const config = escapeJsonForHtml({ endpoint: options.endpoint, token: options.token });
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>stack-notifications · GraphQL playground</title>
  <link rel="stylesheet" href="/playground/vendor/graphiql/graphiql.min.css">
  <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
</head>
<body>
  <div id="graphiql">Loading the playground…</div>
  <script type="application/json" id="playground-config">${config}</script>
  <script src="/playground/vendor/react/umd/react.production.min.js"></script>
  <script src="/playground/vendor/react-dom/umd/react-dom.production.min.js"></script>
  <script src="/playground/vendor/graphiql/graphiql.min.js"></script>
  <script type="module" src="/playground/app.js"></script>
</body>
</html>
`;
}

/** The page's script: HTTP for queries and mutations, graphql-ws on the same path for subscriptions. */
const appJs = `import { createClient } from '/playground/vendor/graphql-ws/dist/client.js';

const config = JSON.parse(document.getElementById('playground-config').textContent);
const endpoint = new URL(config.endpoint, location.href);
const wsUrl = endpoint.href.replace(/^http/, 'ws');

function currentHeaders() {
  try {
    const stored = localStorage.getItem('graphiql:headers');
    if (stored) return JSON.parse(stored);
  } catch {}
  return config.token ? { Authorization: 'Bearer ' + config.token } : {};
}

const wsClient = createClient({
  url: wsUrl,
  lazy: true,
  connectionParams: () => {
    const headers = currentHeaders();
    return { authorization: headers.Authorization || headers.authorization || '' };
  },
});

const fetcher = GraphiQL.createFetcher({ url: endpoint.href, wsClient });
const defaultHeaders = config.token ? JSON.stringify({ Authorization: 'Bearer ' + config.token }, null, 2) : undefined;
const defaultQuery = \`# Subscribe in one tab, publish in another: the event shows up here the moment it happens.
query Stacks {
  me { email role account { name } }
  stacks(first: 10) { nodes { id name environment } }
}
\`;

ReactDOM.createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, { fetcher, defaultHeaders, defaultQuery, shouldPersistHeaders: true }),
);
`;

export function playgroundRouter(): Router {
  const router = express.Router();
  const vendor: Record<string, string> = {
    graphiql: packageDir('graphiql'),
    react: packageDir('react'),
    'react-dom': packageDir('react-dom'),
    'graphql-ws': packageDir('graphql-ws'),
  };
  for (const [name, dir] of Object.entries(vendor)) {
    router.use(
      `/playground/vendor/${name}`,
      express.static(dir, { immutable: true, maxAge: '1d', index: false }),
    );
  }
  router.get('/playground/app.js', (_req, res) => {
    res.type('text/javascript').send(appJs);
  });
  return router;
}

/** The token printed by the first local start, kept so the playground can open with it in local mode. */
export function readLocalToken(dataDir: string): string | null {
  try {
    return fs.readFileSync(path.join(dataDir, 'local-token'), 'utf8').trim() || null;
  } catch {
    return null;
  }
}

export function writeLocalToken(dataDir: string, token: string): void {
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(path.join(dataDir, 'local-token'), token + '\n', { mode: 0o600 });
}
