/**
 * The OpenAPI document, generated from the manifest's routes and the same zod schemas that
 * validate the requests. What a route says beyond the manifest is its entry in functions/docs/,
 * typed by its route key; a route without one still appears, undocumented.
 *
 * Generated at build time (tools/openapi.ts, run by the CDK bundling of the api-docs function),
 * so that no function bundles the generator, the docs or the OpenAPI extension; the local runtime
 * generates it on first request (functions/api-docs.ts).
 */
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';
import '../docs/zod-openapi.ts';
import { functions, type RouteKey, type RouteSpec } from '#wiring/manifest.ts';
import { appointmentsDocs } from '../docs/appointments.ts';
import { catalogDocs } from '../docs/catalog.ts';
import { documentsDocs } from '../docs/documents.ts';
import { dossiersDocs } from '../docs/dossiers.ts';
import { dvcqgDocs } from '../docs/dvcqg.ts';
import { kiosksDocs } from '../docs/kiosks.ts';
import { lawDocs } from '../docs/law.ts';
import { pagesDocs } from '../docs/pages.ts';
import { paymentsDocs } from '../docs/payments.ts';
import { queueDocs } from '../docs/queue.ts';
import { receiptsDocs } from '../docs/receipts.ts';
import type { RouteDoc, RouteDocs } from '../docs/route-doc.ts';
import { wardsDocs } from '../docs/wards.ts';

const errorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) })
  .openapi('Error');

/** Every route's doc, by route key: one entry per route, in the docs file of its feature. */
const docs: RouteDocs = {
  ...catalogDocs,
  ...dossiersDocs,
  ...paymentsDocs,
  ...documentsDocs,
  ...queueDocs,
  ...wardsDocs,
  ...dvcqgDocs,
  ...pagesDocs,
  ...appointmentsDocs,
  ...lawDocs,
  ...kiosksDocs,
  ...receiptsDocs,
};

let cached: object | undefined;

/** The document without its `servers`, which the serving function adds (the deployment's public URL). */
export function openApiBody(): object {
  if (cached) return cached;
  const registry = new OpenAPIRegistry();
  registry.register('Error', errorSchema);
  const bearer = registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'Cognito (VNeID federation) in the cloud; POST /local/token locally. Claims: sub, role, ward; ' +
      'residentialGroup (helper); idNumber (citizen, from VNeID).',
  });
  for (const fn of functions) {
    for (const r of fn.routes ?? []) {
      const d = docs[`${r.method} ${r.path}` as RouteKey];
      registry.registerPath(pathItem(r, d, fn.localOnly === true, bearer.name, errorSchema));
    }
  }
  const gen = new OpenApiGeneratorV31(registry.definitions);
  cached = gen.generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'motcua — Trung tâm Phục vụ hành chính công (one-stop center) API',
      version: '1.0.0',
      description:
        'Procedures, dossiers and their legal lifecycle, scans, payments, queue numbers and indicators of a ward center. ' +
        'Errors: `{ "error": { "code", "message" } }` with 4xx. Roles per route are listed in each operation (x-roles).',
    },
  });
  return cached;
}

function pathItem(r: RouteSpec, d: RouteDoc | undefined, local: boolean, bearer: string, err: z.ZodType) {
  const params = [...r.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);
  const errors = Object.fromEntries(
    [400, 401, 403, 404, 409, 413, 415, 422, ...(d?.moreErrors ?? [])]
      .filter((s) => r.roles !== 'public' || ![401, 403].includes(s))
      .map((s) => [String(s), { description: 'Error', content: { 'application/json': { schema: err } } }]),
  );
  return {
    method: r.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete',
    path: r.path,
    summary: `${local ? '[local only] ' : ''}${d?.summary ?? r.path}`,
    tags: [r.path.startsWith('/p/') ? 'pages' : (r.path.split('/')[2] ?? 'misc')],
    ...(r.roles === 'public' ? {} : { security: [{ [bearer]: [] }] }),
    'x-roles': r.roles,
    request: {
      ...(params.length ? { params: z.object(Object.fromEntries(params.map((p) => [p, z.string()]))) } : {}),
      ...(d?.query ? { query: d.query } : {}),
      ...(d?.body ? { body: { content: { 'application/json': { schema: d.body } } } } : {}),
    },
    responses: {
      [String(d?.status ?? 200)]: {
        description: 'OK',
        content: { [d?.contentType ?? 'application/json']: { schema: d?.response ?? z.unknown() } },
      },
      ...errors,
    },
  };
}
