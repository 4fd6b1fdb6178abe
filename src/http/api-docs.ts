// Serves the API reference: the OpenAPI document at GET /api/v1/openapi.json and a rendered page
// (swagger-ui, from node_modules) at /api/docs. Both are public: the document is derived from the
// source (roles, schemas, problem types), holds no data, and is what a client developer or a code
// generator needs before they have credentials. The page loads its initializer from a file, not an
// inline script, so the CSP (script-src 'self') need not loosen.
import { createRequire } from 'node:module';
import path from 'node:path';
import { Router, type Request, type Response } from 'express';
import { API_BASE } from './api-base.js';
import { openApiDocument } from './openapi.js';
import type { DeclaredRoute } from './route.js';

const require = createRequire(import.meta.url);
const swaggerUiRoot = path.dirname(require.resolve('swagger-ui-dist/package.json'));
const { version } = require('../../package.json') as { version: string };

/** `GET /openapi.json` (mounted under the API): built once, on first request, from the route table. */
export function openApiRoute(routes: () => readonly DeclaredRoute[]): Router {
  let document: string | null = null;
  return Router().get('/openapi.json', (_req, res) => {
    document ??= JSON.stringify(openApiDocument(routes(), version));
    res.type('application/json').send(document);
  });
}

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>bwv-fleet API reference</title>
    <link rel="stylesheet" href="/api/docs/swagger-ui.css" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/api/docs/swagger-ui-bundle.js"></script>
    <script src="/api/docs/init.js"></script>
  </body>
</html>
`;

const INIT = `// Renders ${API_BASE}/openapi.json (served by src/http/api-docs.ts).
window.ui = SwaggerUIBundle({
  url: '${API_BASE}/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  docExpansion: 'none',
  defaultModelsExpandDepth: 0,
  showExtensions: true,
  presets: [SwaggerUIBundle.presets.apis],
});
`;

/** The rendered reference page at `/api/docs` (mount at the app's root). */
export function apiDocsPage(): Router {
  const r = Router();
  const page = (_req: Request, res: Response) => {
    res.type('html').setHeader('Cache-Control', 'no-cache');
    res.send(PAGE);
  };
  r.get('/api/docs', page);
  r.get('/api/docs/', page);
  r.get('/api/docs/init.js', (_req, res) => {
    res.type('application/javascript').setHeader('Cache-Control', 'no-cache');
    res.send(INIT);
  });
  // Only the two files the page loads: swagger-ui-dist also ships a demo page pointing at a petstore.
  for (const file of ['swagger-ui.css', 'swagger-ui-bundle.js']) {
    r.get(`/api/docs/${file}`, (_req, res, next) => {
      res.sendFile(path.join(swaggerUiRoot, file), { maxAge: '1d' }, (err) => err && next(err));
    });
  }
  return r;
}
