// Serves the built dashboard (web/dist): hashed assets cached for a year, index.html at / never
// cached. The dashboard routes with the URL fragment (/#/stores), so no other path needs the page
// and unknown paths stay 404 problem+json. Assets go gzipped to browsers that take it, from the
// .gz files the build writes beside them (a third of the size to a tablet on the station's wifi,
// and no compression work per request).
import path from 'node:path';
import express, { Router, type RequestHandler } from 'express';
import expressStaticGzip from 'express-static-gzip';

/**
 * express-static-gzip answers a path it cannot percent-decode with a text/plain 400 of its own;
 * the problem handler answers it like every other (malformed-path).
 */
const decodablePath: RequestHandler = (req, _res, next) => {
  try {
    decodeURIComponent(req.path);
    next();
  } catch (err) {
    next(err);
  }
};

export function dashboard(root: string): Router {
  const r = Router();
  r.use(
    '/assets',
    decodablePath,
    expressStaticGzip(path.join(root, 'assets'), {
      index: false,
      serveStatic: { immutable: true, maxAge: '365d', index: false },
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
