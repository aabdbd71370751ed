/**
 * GET /openapi.json and the reference page at /docs, with assets from the swagger-ui-dist package.
 * The document is a file written at build time beside those assets (tools/openapi.ts); this
 * function neither bundles nor runs the generator.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { NotFoundError } from '#shared/errors.ts';
import { ENV, OPENAPI_FILE } from '#wiring/definitions.ts';
import { publicBaseUrl } from './lib/config.ts';
import { type HttpResult, httpApi, json } from './lib/http.ts';
import { CACHE, pageHeaders } from './lib/page-headers.ts';

/** The files the page needs; the CDK bundling copies exactly these. */
export const SWAGGER_ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
};

function assetDir(): string {
  const configured = process.env[ENV.assetDir];
  if (configured) return configured;
  return dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
}

/**
 * Where the document is generated when its file is absent: the local runtime runs this module from
 * source, with no build step. A computed specifier, so that esbuild leaves the generator out of the
 * bundle; in the cloud the file is always there (test/infra/bundling.test.ts).
 */
const GENERATOR = new URL('./lib/openapi.ts', import.meta.url).href;

let document: Promise<object> | undefined;

/** The document without `servers`: read once per container from the file, or generated locally. */
function openApiBody(): Promise<object> {
  document ??= readFile(join(assetDir(), OPENAPI_FILE), 'utf8').then(
    (text) => JSON.parse(text) as object,
    async (e: unknown) => {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      const generator = (await import(GENERATOR)) as { openApiBody(): object };
      return generator.openApiBody();
    },
  );
  // A failure is not kept: the next request tries again.
  document.catch(() => {
    document = undefined;
  });
  return document;
}

const page = `<!doctype html>
<html lang="vi">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>motcua API — Trung tâm Phục vụ hành chính công</title>
  <link rel="stylesheet" href="docs/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="docs/swagger-ui-bundle.js"></script>
  <script src="docs/swagger-ui-standalone-preset.js"></script>
  <script src="docs/init.js"></script>
</body>
</html>`;

const init = `window.ui = SwaggerUIBundle({ url: '../openapi.json', dom_id: '#swagger-ui', deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout' });`;

export const handler = httpApi('api-docs', {
  'GET /openapi.json': async () =>
    json(
      200,
      { ...(await openApiBody()), servers: [{ url: publicBaseUrl() }] },
      { 'cache-control': 'public, max-age=300' },
    ),
  'GET /docs': async () => ({
    status: 200,
    raw: page.replace(/"docs\//g, '"/docs/'),
    headers: pageHeaders({ reference: true, cache: CACHE.public }),
  }),
  'GET /docs/{asset}': async ({ params }): Promise<HttpResult> => {
    const name = params.asset;
    if (name === 'init.js') {
      return {
        status: 200,
        raw: init.replace("'../openapi.json'", "'/openapi.json'"),
        headers: pageHeaders({ reference: true, cache: CACHE.asset }, 'text/javascript; charset=utf-8'),
      };
    }
    const type = Object.hasOwn(SWAGGER_ASSETS, name) ? SWAGGER_ASSETS[name] : undefined;
    if (!type) throw new NotFoundError('Tệp', 'ASSET_NOT_FOUND');
    const body = await readFile(join(assetDir(), name), 'utf8');
    return { status: 200, raw: body, headers: pageHeaders({ reference: true, cache: 'public, max-age=86400' }, type) };
  },
});
