import path from 'node:path';
import express, { Router } from 'express';

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Flightdeck API reference</title>
  <link rel="stylesheet" href="/v1/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="reference"></div>
  <script src="/v1/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/v1/docs/init.js"></script>
</body>
</html>`;

const INIT = `window.ui = SwaggerUIBundle({ url: '/v1/openapi.json', dom_id: '#reference', deepLinking: true });`;

/** `/v1/openapi.json` and a rendered reference at `/v1/docs`, served from local files (no CDN). */
export function docsRoutes(document: object): Router {
  const router = Router();
  const assets = path.dirname(require.resolve('swagger-ui-dist/package.json'));
  router.get('/v1/openapi.json', (_req, res) => {
    res.json(document);
  });
  router.get('/v1/docs', (_req, res) => {
    res.type('html').send(PAGE);
  });
  router.get('/v1/docs/init.js', (_req, res) => {
    res.type('js').send(INIT);
  });
  router.use('/v1/docs/assets', express.static(assets, { index: false }));
  return router;
}
