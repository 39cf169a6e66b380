// Serves the stack notifications page (built from web/ into web/dist) at / and /stacks/:id/notifications|deliveries|noise.
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
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

/** The page's routes (web/src/routes.ts): each loads the same page, which routes itself. */
const PAGE_ROUTES = [
  '/',
  '/stacks/:stackId/notifications',
  '/stacks/:stackId/deliveries',
  '/stacks/:stackId/noise',
  '/people',
  '/tokens',
  '/devices',
  '/quiet-hours',
];

const PAGE_CONFIG_ELEMENT = /<script type="application\/json" id="page-config">[\s\S]*?<\/script>/;

/** The page's data travels as JSON in a non-executable script element, so a CSP without inline scripts allows it. */
function pageConfigElement(config: { localToken: string | null }): string {
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `<script type="application/json" id="page-config">${json}</script>`;
}

/** Vite names the files under assets/ by their content hash; everything else (sw.js, the icon) is revalidated. */
function cacheControl(dist: string, file: string): string {
  return file.startsWith(path.join(dist, 'assets') + path.sep)
    ? 'public, max-age=31536000, immutable'
    : 'no-cache';
}

/** The build's compressed copies (web/vite.config.mts), by preference: name.br, else name.gz. */
const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;

/**
 * The encodings an Accept-Encoding header allows (q > 0), e.g. "gzip, deflate, br;q=0" allows gzip only. The copy is
 * then chosen by the server's preference (Brotli first): Express's req.acceptsEncodings would follow the header's
 * order, and browsers list gzip before br.
 */
export function acceptedEncodings(header: string | undefined): Set<string> {
  const accepted = new Set<string>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((param) => /^\s*q=([0-9.]+)\s*$/.exec(param)).find(Boolean);
    if (name && (!q || Number(q[1]) > 0)) accepted.add(name);
  }
  if (accepted.has('*')) for (const { name } of ENCODINGS) accepted.add(name);
  return accepted;
}

async function isFile(file: string): Promise<boolean> {
  return (await fs.stat(file).catch(() => null))?.isFile() ?? false;
}

/**
 * Answers a request for a built file with its Brotli or gzip copy when the browser takes one. Files without copies
 * (and browsers that take neither) go on to express.static; both say `Vary: Accept-Encoding` where copies exist, so a
 * shared cache keeps one answer per encoding.
 */
function precompressedFiles(dist: string) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    let relative: string;
    try {
      relative = decodeURIComponent(req.path);
    } catch {
      return next();
    }
    const file = path.join(dist, path.normalize(relative));
    if (!file.startsWith(dist + path.sep) || !(await isFile(file))) return next();
    const copies = await Promise.all(
      ENCODINGS.map(async (encoding) => ((await isFile(file + encoding.suffix)) ? encoding : null)),
    );
    if (!copies.some(Boolean)) return next();
    res.setHeader('Vary', 'Accept-Encoding');
    const accepted = acceptedEncodings(req.headers['accept-encoding']);
    const chosen = copies.find((copy) => copy && accepted.has(copy.name));
    if (!chosen) return next();
    // Typed as the file it stands for; send() keeps a Content-Type that is already set.
    res.type(path.extname(file));
    res.setHeader('Content-Encoding', chosen.name);
    res.sendFile(file + chosen.suffix, {
      headers: { 'Cache-Control': cacheControl(dist, file) },
      cacheControl: false,
      dotfiles: 'deny',
    });
  };
}

export function webRouter(options: WebOptions = {}): Router {
  const dist = path.resolve(options.dist ?? path.join(projectRoot(), 'web', 'dist'));
  const index = path.join(dist, 'index.html');
  const router = express.Router();
  router.use(precompressedFiles(dist));
  router.use(
    express.static(dist, {
      index: false,
      setHeaders: (res, file) => res.setHeader('Cache-Control', cacheControl(dist, file)),
    }),
  );
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
