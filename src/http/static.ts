// Serves the built dashboard (web/dist): hashed assets cached for a year, index.html never cached,
// and the page for any other GET that is not the API (client-side routes such as /stores).
import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';

export function dashboard(root: string): Router {
  const r = Router();
  const index = path.join(root, 'index.html');
  r.use(
    '/assets',
    express.static(path.join(root, 'assets'), {
      immutable: true,
      maxAge: '365d',
      index: false,
      fallthrough: false,
    }),
  );
  r.use(express.static(root, { index: false, maxAge: 0 }));
  r.get(/^\/(?!api\/|socket\.io\/|healthz|readyz).*/, (req, res, next) => {
    if (!req.accepts('html') || !existsSync(index)) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return r;
}
