// Serves the stack notifications page (built from web/ into web/dist) at / and /stacks/:id/notifications|deliveries.
import express, { type Response, type Router } from 'express';
import type { IncomingMessage } from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from './config';
import { projectRoot } from './lib/paths';
import { readLocalToken } from './playground';

export interface WebOptions {
  /** The built page. @default <project root>/web/dist */
  dist?: string;
  /** In local mode the sign-in form is pre-filled with the token the server printed. @default no token */
  config?: Pick<Config, 'localMode' | 'dataDir'>;
  /** Whether this request may see the local token (see isLoopbackRequest). @default never */
  revealsLocalToken?: (request: IncomingMessage) => boolean;
}

/** The page's routes: each loads the same page, which routes itself. */
const PAGE_ROUTES = ['/', '/stacks/:stackId/notifications', '/stacks/:stackId/deliveries'];

const PAGE_CONFIG_ELEMENT = /<script type="application\/json" id="page-config">[\s\S]*?<\/script>/;

/** The page's data travels as JSON in a non-executable script element, so a CSP without inline scripts allows it. */
function pageConfigElement(config: { localToken: string | null }): string {
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `<script type="application/json" id="page-config">${json}</script>`;
}

/** Vite names the files under assets/ by their content hash; everything else (sw.js, the icon) is revalidated. */
function cacheHeaders(dist: string) {
  const assets = path.join(dist, 'assets') + path.sep;
  return (res: Response, file: string): void => {
    res.setHeader(
      'Cache-Control',
      file.startsWith(assets) ? 'public, max-age=31536000, immutable' : 'no-cache',
    );
  };
}

export function webRouter(options: WebOptions = {}): Router {
  const dist = path.resolve(options.dist ?? path.join(projectRoot(), 'web', 'dist'));
  const index = path.join(dist, 'index.html');
  const router = express.Router();
  router.use(express.static(dist, { index: false, setHeaders: cacheHeaders(dist) }));
  router.get(PAGE_ROUTES, async (req, res, next) => {
    let html: string;
    try {
      // Read at each request: `npm run dev` rebuilds it, and it is small.
      html = await fs.readFile(index, 'utf8');
    } catch {
      next();
      return;
    }
    const { config } = options;
    const localToken =
      config?.localMode && options.revealsLocalToken?.(req) ? readLocalToken(config.dataDir) : null;
    res
      .type('html')
      // A page holding a token is never stored.
      .setHeader('Cache-Control', localToken ? 'no-store' : 'no-cache')
      .send(html.replace(PAGE_CONFIG_ELEMENT, () => pageConfigElement({ localToken })));
  });
  return router;
}
