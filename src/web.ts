// Serves the stack notifications page (built from web/ into web/dist) at / and /stacks/:id/notifications.
import express, { type Router } from 'express';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from './lib/paths';

export function webRouter(dist: string = path.join(projectRoot(), 'web', 'dist')): Router {
  const router = express.Router();
  const index = path.join(dist, 'index.html');
  router.use(express.static(dist, { index: false, maxAge: '1h' }));
  // Client-side routes all load the same page.
  router.get(['/', '/stacks/:stackId/notifications', '/stacks/:stackId/deliveries'], (_req, res, next) => {
    if (!fs.existsSync(index)) {
      next();
      return;
    }
    res.sendFile(index);
  });
  return router;
}
