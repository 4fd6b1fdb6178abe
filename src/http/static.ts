// Serves the built dashboard (web/dist): hashed assets cached for a year, index.html at / never
// cached. The dashboard routes with the URL fragment (/#/stores), so no other path needs the page
// and unknown paths stay 404 problem+json.
import path from 'node:path';
import express, { Router } from 'express';

export function dashboard(root: string): Router {
  const r = Router();
  r.use(
    '/assets',
    express.static(path.join(root, 'assets'), {
      immutable: true,
      maxAge: '365d',
      index: false,
    }),
  );
  r.use(
    express.static(root, {
      index: 'index.html',
      dotfiles: 'ignore',
      setHeaders: (res, file) => {
        if (file.endsWith('.html')) res.setHeader('Cache-Control', 'no-cache');
      },
    }),
  );
  return r;
}
