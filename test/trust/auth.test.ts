/**
 * Authentication and role checks of EVERY protected route, generated from the manifest: a route
 * added to wiring/manifest.ts is covered here without touching this file.
 *
 * For each route that is neither public nor local-only:
 *  - no token, and every kind of bad token (forged, tampered, alg none, HS256 confusion, expired,
 *    no exp, another audience or issuer, unknown role...) -> 401 with an error code;
 *  - every role outside the route's list -> 403 (404 accepted on dossier-scoped routes);
 *  - every role in the list gets through the authorizer: never 401/403, never 5xx.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '#shared/auth.ts';
import { functions, type RouteSpec } from '#wiring/manifest.ts';
import {
  applicant,
  badTokens,
  expectNo5xx,
  expectRefused,
  goodClaims,
  hasErrorShape,
  type Res,
  startTrustStack,
  type TrustStack,
} from './trust-stack.ts';

const WARD = 'bimson';

const protectedRoutes: (RouteSpec & { roles: readonly string[] })[] = functions
  .filter((f) => !f.localOnly)
  .flatMap((f) => f.routes ?? [])
  .filter((r): r is RouteSpec & { roles: readonly string[] } => r.roles !== 'public');

const key = (r: RouteSpec) => `${r.method} ${r.path}`;
const isDossierScoped = (r: RouteSpec) => r.path.includes('{dossierId}');

let s: TrustStack;
/** A valid token per role: the citizen owns `dossier`; staff and kiosk belong to its ward. */
const tokens: Record<string, string> = {};
let dossier: { id: string; code: string; version: number; components: { id: string }[] };
let procedure: { id: string; input: Record<string, unknown> };
let calendar: Record<string, any>;
let bad: [string, string][];

/** Plausible values for path parameters; an unknown parameter gets `x` (401/403 do not depend on it). */
const paramValue = (name: string): string => {
  switch (name) {
    case 'dossierId':
      return dossier.id;
    case 'componentId':
      return dossier.components[0]?.id ?? 'cccd';
    case 'procedureId':
      return procedure.id;
    case 'year':
      return '2026';
    case 'form':
      return '01.pdf';
    case 'counterId':
      return 'badinh-1';
    case 'action':
      return 'next';
    case 'dossierCode':
      return dossier.code;
    case 'ward':
      return WARD;
    default:
      return 'x';
  }
};

const QUERIES: Record<string, string> = {
  'GET /v1/reports': '?from=2026-01-01&to=2026-01-31',
  'GET /v1/dossiers': '?limit=5',
};

/** Bodies an allowed caller could plausibly send; none of them changes the target dossier. */
const body = (r: RouteSpec): unknown => {
  switch (key(r)) {
    case 'POST /v1/dossiers':
      return { ward: WARD, procedureId: procedure.id, channel: 'online', applicant: applicant(7) };
    case 'POST /v1/dossiers/{dossierId}/transitions':
      return { to: 2, expectedVersion: 999 };
    case 'POST /v1/dossiers/{dossierId}/withdraw':
      return { expectedVersion: 999 };
    case 'POST /v1/dossiers/{dossierId}/feedback':
      return { score: 5 };
    case 'POST /v1/dossiers/{dossierId}/payments':
      return { gateway: 'vnpay' };
    case 'POST /v1/dossiers/{dossierId}/documents/{componentId}/upload-url':
    case 'POST /v1/dossiers/{dossierId}/result/upload-url':
      return { contentType: 'application/pdf', contentLength: 1000 };
    case 'PUT /v1/admin/procedures/{procedureId}':
      return procedure.input;
    case 'PUT /v1/admin/calendar/{year}':
      return calendar;
    case 'POST /v1/queue/tickets':
      return { point: 'badinh', group: 'hotich' };
    default:
      return r.method === 'POST' || r.method === 'PUT' ? {} : undefined;
  }
};

const pathOf = (r: RouteSpec) => r.path.replace(/\{(\w+)\+?\}/g, (_, n: string) => encodeURIComponent(paramValue(n)));

const hit = (r: RouteSpec, o: { token?: string | undefined; authorization?: string } = {}): Promise<Res> =>
  s.call(r.method, `${pathOf(r)}${QUERIES[key(r)] ?? ''}`, { ...o, body: body(r) });

beforeAll(async () => {
  s = await startTrustStack();
  for (const role of ROLES) {
    tokens[role] = await s.token(role, `${role}-1`, role === 'citizen' ? undefined : WARD);
  }
  tokens.citizen = await s.token('citizen', 'citizen-a');
  const list = await s.call('GET', `/v1/procedures?ward=${WARD}`);
  const online = list.json.items.find(
    (p: any) => p.channels.some((c: string) => c !== 'counter') && p.documents.length > 0,
  );
  const { id, ward, version, updatedAt, ...input } = online;
  procedure = { id, input };
  const created = await s.call('POST', '/v1/dossiers', {
    token: tokens.citizen,
    body: { ward: WARD, procedureId: id, channel: 'online', applicant: applicant(1) },
  });
  expect(created.status, created.text).toBe(201);
  dossier = (await s.call('GET', `/v1/dossiers/${created.json.id}`, { token: tokens.citizen })).json;
  const cal = await s.call('GET', '/v1/admin/calendar/2026', { token: tokens.admin });
  expect(cal.status, cal.text).toBe(200);
  calendar = { hours: cal.json.hours, holidays: cal.json.holidays, workingDays: cal.json.workingDays };
  bad = await badTokens(s, tokens.citizen as string, WARD);
});
afterAll(async () => s?.stop());

describe('The generated route table', () => {
  it('covers every protected route of the design', () => {
    const keys = protectedRoutes.map(key);
    for (const k of [
      'POST /v1/dossiers',
      'GET /v1/dossiers',
      'GET /v1/dossiers/{dossierId}',
      'GET /v1/dossiers/{dossierId}/history',
      'POST /v1/dossiers/{dossierId}/transitions',
      'POST /v1/dossiers/{dossierId}/withdraw',
      'POST /v1/dossiers/{dossierId}/feedback',
      'GET /v1/dossiers/{dossierId}/forms/{form}',
      'POST /v1/dossiers/{dossierId}/documents/{componentId}/upload-url',
      'GET /v1/dossiers/{dossierId}/documents/{componentId}/download-url',
      'POST /v1/dossiers/{dossierId}/payments',
      'PUT /v1/admin/procedures/{procedureId}',
      'GET /v1/admin/calendar/{year}',
      'PUT /v1/admin/calendar/{year}',
      'POST /v1/queue/tickets',
      'POST /v1/queue/counters/{counterId}/{action}',
      'GET /v1/reports',
    ]) {
      expect(keys).toContain(k);
    }
    // Every role a route names is a real role: a typo would silently lock everybody out.
    for (const r of protectedRoutes) for (const role of r.roles) expect(ROLES).toContain(role);
  });

  it("accepts a token signed with the stack's own key and well-formed claims (so the 401s below are about the claims)", async () => {
    const r = await s.call('GET', '/v1/dossiers', { token: await s.sign(goodClaims('citizen', 'citizen-a')) });
    expect(r.status, r.text).toBe(200);
    expect(r.json.items.some((d: any) => d.id === dossier.id)).toBe(true);
  });
});

for (const route of protectedRoutes) {
  const allowed = route.roles;
  const others = ROLES.filter((role) => !allowed.includes(role));
  const scoped = isDossierScoped(route);

  describe(`Route: ${key(route)} (roles: ${allowed.join(', ')})`, () => {
    it('refuses a request without a token with 401', async () => {
      expectRefused('no token', await hit(route), [401]);
    });

    it('refuses a malformed Authorization header (other scheme, no scheme, two tokens, token in the query) with 401', async () => {
      const t = tokens[allowed[0] as string] as string;
      const headers: [string, string][] = [
        ['Basic scheme', `Basic ${Buffer.from('admin:admin').toString('base64')}`],
        ['no scheme', t],
        ['two tokens', `Bearer ${t} ${t}`],
        ['Bearer twice', `Bearer Bearer ${t}`],
        ['Bearer alone', 'Bearer'],
      ];
      for (const [what, authorization] of headers) expectRefused(what, await hit(route, { authorization }), [401]);
      const q = pathOf(route).includes('?') ? '&' : '?';
      const inQuery = await s.call(route.method, `${pathOf(route)}${q}access_token=${t}`, { body: body(route) });
      expectRefused('token in the query string', inQuery, [401]);
    });

    it('refuses forged, tampered, alg-none, HS256, expired, no-exp, foreign-audience and foreign-issuer tokens with 401', async () => {
      const failures: string[] = [];
      await Promise.all(
        bad.map(async ([what, token]) => {
          const r = await hit(route, { authorization: `Bearer ${token}` });
          if (r.status !== 401 || !hasErrorShape(r)) failures.push(`${what}: HTTP ${r.status} ${r.text.slice(0, 120)}`);
        }),
      );
      expect(failures).toEqual([]);
    });

    if (others.length > 0) {
      it(`refuses ${others.join(', ')} with ${scoped ? '403 or 404' : '403'}`, async () => {
        for (const role of others) {
          expectRefused(
            `${role} on ${key(route)}`,
            await hit(route, { token: tokens[role] }),
            scoped ? [403, 404] : [403],
          );
        }
      });
    }

    it(`lets ${allowed.join(', ')} through (never 401/403, never 5xx)`, async () => {
      for (const role of allowed) {
        const r = await hit(route, { token: tokens[role] });
        expectNo5xx(`${role} on ${key(route)}`, r);
        expect([401, 403], `${role} on ${key(route)} -> ${r.status} ${r.text.slice(0, 200)}`).not.toContain(r.status);
      }
    });
  });
}

describe('Route: every protected route, after all of the above', () => {
  it('left the dossier used as a path parameter where it was (no refused request changed it)', async () => {
    const now = await s.call('GET', `/v1/dossiers/${dossier.id}`, { token: tokens.citizen });
    expect(now.status).toBe(200);
    expect([now.json.status, now.json.version]).toEqual([1, dossier.version]);
    const h = await s.call('GET', `/v1/dossiers/${dossier.id}/history`, { token: tokens.citizen });
    expect(h.json.items).toHaveLength(1);
  });
});
