/**
 * The OpenAPI document, generated from the manifest's routes and the same zod schemas that
 * validate the requests. One place: a route without an entry here still appears, undocumented.
 */
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';
import '#shared/api/zod.ts';
import { calendarYearSchema } from '#shared/calendar.ts';
import { procedureInputSchema, procedureSchema } from '#shared/catalog.ts';
import { submitSchema, transitionSchema, withdrawSchema } from '#shared/use-cases/dossiers.ts';
import { feedbackSchema } from '#shared/use-cases/feedback.ts';
import { functions, type RouteSpec } from '../manifest.ts';
import { extraDocs } from './openapi-extra.ts';

export interface RouteDoc {
  readonly summary: string;
  readonly body?: z.ZodType;
  readonly query?: z.ZodObject;
  readonly response?: z.ZodType;
  readonly status?: number;
  readonly contentType?: string;
  /** Error statuses beyond the common ones (e.g. 429 on the public lookup). */
  readonly moreErrors?: readonly number[];
}

const errorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) })
  .openapi('Error');

const listOf = (item: z.ZodType) => z.object({ items: z.array(item), next: z.string().optional() });

const dossierSchema = z
  .object({
    id: z.string(),
    code: z.string().openapi({ example: 'H56.27.01-20260609-0001' }),
    ward: z.string(),
    procedureId: z.string(),
    status: z.number().int().min(1).max(10),
    version: z.number().int(),
    channel: z.enum(['online', 'counter']),
    appointmentAt: z.string().optional(),
    dueAt: z.string().optional(),
    overdue: z.boolean(),
  })
  .passthrough()
  .openapi('Dossier');

const docs: Record<string, RouteDoc> = {
  'GET /v1/procedures': {
    summary: "A ward's procedure catalog (danh mục TTHC)",
    query: z.object({ ward: z.string(), limit: z.number().optional(), cursor: z.string().optional() }),
    response: listOf(procedureSchema),
  },
  'GET /v1/procedures/{procedureId}': { summary: 'One procedure', response: procedureSchema },
  'GET /v1/procedures/{procedureId}/qr.svg': {
    summary: "QR code of the procedure's public page",
    contentType: 'image/svg+xml',
  },
  'PUT /v1/admin/procedures/{procedureId}': {
    summary: 'Upsert a catalog entry',
    body: procedureInputSchema,
    response: procedureSchema,
  },
  'GET /v1/admin/calendar/{year}': { summary: "The ward's working calendar for a year" },
  'PUT /v1/admin/calendar/{year}': {
    summary: 'Set holidays, compensatory working days, hours',
    body: calendarYearSchema,
  },
  'GET /v1/calendar/{ward}/add': {
    summary: 'The moment H working hours after `from` (after-hours `from` rolls to the next working morning)',
    query: z.object({ from: z.string(), hours: z.number() }),
    response: z.object({ from: z.string(), hours: z.number(), due: z.string() }),
  },
  'POST /v1/dossiers': {
    summary:
      'Submit a dossier (online: citizen; counter: receiver; online on a citizen’s behalf: helper, own ward only, ' +
      'residentialGroup defaults to theirs; the dossier records assistedBy)',
    body: submitSchema,
    response: dossierSchema,
    status: 201,
  },
  'GET /v1/dossiers': {
    summary:
      "List dossiers: a citizen's own and, with an idNumber claim, every dossier whose applicant has it; " +
      "a helper's, those they helped with; a ward's for staff",
    query: z.object({
      status: z.number().optional(),
      dueBefore: z.string().optional(),
      overdue: z.enum(['true', 'false']).optional(),
      procedureId: z.string().optional(),
      limit: z.number().optional(),
      cursor: z.string().optional(),
    }),
    response: listOf(dossierSchema),
  },
  'GET /v1/dossiers/{dossierId}': {
    summary: 'A dossier with status, version and appointment (staff see assistedBy: who helped, for which group)',
    response: dossierSchema,
  },
  'GET /v1/dossiers/{dossierId}/history': { summary: 'Every transition (form 06)' },
  'POST /v1/dossiers/{dossierId}/transitions': {
    summary: 'Move to another status',
    body: transitionSchema,
    response: dossierSchema,
  },
  'POST /v1/dossiers/{dossierId}/withdraw': {
    summary: 'The owner asks to withdraw',
    body: withdrawSchema,
    response: dossierSchema,
  },
  'POST /v1/dossiers/{dossierId}/feedback': {
    summary: 'Satisfaction rating 1-5, optional complaint',
    body: feedbackSchema,
  },
  'GET /v1/lookup/{dossierCode}': {
    summary:
      "Public status by code and the last 4 digits of the applicant's phone (404 for a wrong phone, as for an " +
      'unknown code; 429 TOO_MANY_ATTEMPTS after 5 misses for a code within the hour)',
    query: z.object({ phone: z.string() }),
    moreErrors: [429],
  },
  'GET /v1/dossiers/{dossierId}/forms/{form}': {
    summary: 'Forms 01-06 of Circular 03/2025 as PDF ({form} is e.g. 01.pdf)',
    contentType: 'application/pdf',
  },
  ...extraDocs,
};

function openApiPath(path: string): string {
  return path;
}

let cached: object | undefined;

export function openApiDocument(serverUrl: string): object {
  if (cached) return { ...cached, servers: [{ url: serverUrl }] };
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
      const key = `${r.method} ${r.path}`;
      const d = docs[key];
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
  return { ...cached, servers: [{ url: serverUrl }] };
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
    path: openApiPath(r.path),
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
