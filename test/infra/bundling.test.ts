/**
 * The bundles MotcuaFunction builds with esbuild: ESM with the require shim, the asset files copied
 * beside the code at the paths the environment variables name, and a bundle that really runs on
 * Node (the API reference page serves a swagger-ui file from its bundle folder).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { openApiBody } from '#functions/lib/openapi.ts';
import { SWAGGER_UI_FILES } from '#infra/assets.ts';
import { MotcuaFunction } from '#infra/constructs/motcua-function.ts';
import { FONT_FILES } from '#shared/forms/fonts.ts';
import { functions } from '#wiring/manifest.ts';
import { logicalId, prop, resourcesOf } from './helpers.ts';

const specOf = (name: string) => {
  const spec = functions.find((f) => f.name === name);
  if (!spec) throw new Error(`${name} is not in the manifest`);
  return spec;
};

/** Bundles the manifest entries `names` for real and returns each one's bundle folder. */
function bundle(names: readonly string[]): Map<string, string> {
  const app = new App();
  const stack = new Stack(app, 'BundlingTest', { env: { region: 'ap-southeast-1' } });
  const fns = names.map((n) => new MotcuaFunction(stack, n, { spec: specOf(n) }));
  const template = Template.fromStack(stack);
  const assembly = app.synth();
  const lambdas = resourcesOf(template, 'AWS::Lambda::Function');
  return new Map(
    fns.map((fn) => {
      const key = prop<{ S3Key: string }>(lambdas[logicalId(fn)] ?? { Type: '' }, 'Code').S3Key;
      return [fn.functionKey, join(assembly.directory, `asset.${key.replace(/\.zip$/, '')}`)];
    }),
  );
}

describe('Class: MotcuaFunction', () => {
  describe('Method: constructor (bundling)', () => {
    const dirs = bundle(['api-docs', 'forms']);
    const docsDir = dirs.get('api-docs') ?? '';
    const formsDir = dirs.get('forms') ?? '';

    it('writes an ESM bundle that starts with the createRequire shim, with its source map', () => {
      const code = readFileSync(join(docsDir, 'index.mjs'), 'utf8');
      expect(code.startsWith("import { createRequire as __motcuaCreateRequire } from 'node:module';")).toBe(true);
      expect(existsSync(join(docsDir, 'index.mjs.map'))).toBe(true);
    });

    it('copies the swagger-ui files to swagger-ui/ and the fonts to fonts/ at their package paths', () => {
      for (const f of SWAGGER_UI_FILES) expect(existsSync(join(docsDir, 'swagger-ui', f)), f).toBe(true);
      for (const f of FONT_FILES) expect(existsSync(join(formsDir, 'fonts', f)), f).toBe(true);
      expect(existsSync(join(docsDir, 'fonts'))).toBe(false);
    });

    it('runs on Node: the bundled reference page serves swagger-ui.css from its bundle folder', () => {
      // Prepare: what Lambda would do with /var/task replaced by the bundle folder.
      const event = {
        version: '2.0',
        routeKey: 'GET /docs/{asset}',
        rawPath: '/docs/swagger-ui.css',
        rawQueryString: '',
        headers: {},
        pathParameters: { asset: 'swagger-ui.css' },
        requestContext: {
          requestId: 'bundling-test',
          http: { method: 'GET', path: '/docs/swagger-ui.css', sourceIp: '127.0.0.1' },
        },
        isBase64Encoded: false,
      };
      const script = `
        const { handler } = await import(${JSON.stringify(join(docsDir, 'index.mjs'))});
        const context = { awsRequestId: 'bundling-test', functionName: 'api-docs', getRemainingTimeInMillis: () => 10000 };
        const r = await handler(${JSON.stringify(event)}, context);
        process.stdout.write(JSON.stringify({ status: r.statusCode, type: r.headers['content-type'], length: r.body.length }));
      `;
      // Act
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        env: { ...process.env, MOTCUA_ASSET_DIR: join(docsDir, 'swagger-ui'), POWERTOOLS_LOG_LEVEL: 'ERROR' },
        encoding: 'utf8',
      });
      // Assess
      const result = JSON.parse(out) as { status: number; type: string; length: number };
      expect(result.status).toBe(200);
      expect(result.type).toContain('text/css');
      expect(result.length).toBe(readFileSync(join(docsDir, 'swagger-ui', 'swagger-ui.css'), 'utf8').length);
    });

    it('writes the OpenAPI document beside the reference page and serves it without bundling the generator', () => {
      // Prepare
      const event = {
        version: '2.0',
        routeKey: 'GET /openapi.json',
        rawPath: '/openapi.json',
        rawQueryString: '',
        headers: {},
        requestContext: {
          requestId: 'bundling-test',
          http: { method: 'GET', path: '/openapi.json', sourceIp: '127.0.0.1' },
        },
        isBase64Encoded: false,
      };
      const script = `
        const { handler } = await import(${JSON.stringify(join(docsDir, 'index.mjs'))});
        const context = { awsRequestId: 'bundling-test', functionName: 'api-docs', getRemainingTimeInMillis: () => 10000 };
        const r = await handler(${JSON.stringify(event)}, context);
        process.stdout.write(r.body);
      `;
      // Act
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        env: {
          ...process.env,
          MOTCUA_ASSET_DIR: join(docsDir, 'swagger-ui'),
          PUBLIC_BASE_URL: 'https://motcua.example.vn',
          POWERTOOLS_LOG_LEVEL: 'ERROR',
        },
        encoding: 'utf8',
      });
      // Assess: the generator's own output, byte for byte, with the deployment's server.
      expect(out).toBe(JSON.stringify({ ...openApiBody(), servers: [{ url: 'https://motcua.example.vn' }] }));
      const code = readFileSync(join(docsDir, 'index.mjs'), 'utf8');
      // A route's summary from functions/docs/ would be in the bundle with the generator.
      expect(code).not.toContain("A ward's procedure catalog");
    });
  });
});
