import type { Context } from 'aws-lambda';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { DomainEventPattern, RouteKeyOf } from '#wiring/manifest.ts';
import { type HttpEvent, httpApi, json, type RouteRequest, type RoutesOf } from '../../functions/lib/http.ts';
import type { Principal } from '../../shared/auth.ts';

const DOSSIER = '0b6f3c52-8a0e-4f7c-9a61-2d4e5f6a7b8c';

function event(
  routeKey: string,
  pathParameters: Record<string, string>,
  claims?: Record<string, string>,
  body?: unknown,
): HttpEvent {
  const [method] = routeKey.split(' ');
  return {
    routeKey,
    rawPath: '/',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    pathParameters,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    isBase64Encoded: false,
    requestContext: {
      requestId: 'r-1',
      http: { method, sourceIp: '203.0.113.5' },
      ...(claims ? { authorizer: { jwt: { claims } } } : {}),
    },
  } as unknown as HttpEvent;
}

const status = (r: unknown) => {
  const res = r as { statusCode: number; body?: string };
  return [res.statusCode, res.body ? JSON.parse(res.body) : undefined] as const;
};

describe('Type: route keys from the manifest', () => {
  it("are exactly an entry's routes, and a protected route's request carries a principal and its path ids", () => {
    expectTypeOf<RouteKeyOf<'lookup'>>().toEqualTypeOf<'GET /v1/lookup/{dossierCode}'>();
    expectTypeOf<RouteKeyOf<'reports'>>().toEqualTypeOf<'GET /v1/reports' | 'GET /v1/reports/public'>();
    expectTypeOf<RouteRequest<'POST /v1/dossiers/{dossierId}/transitions'>['principal']>().toEqualTypeOf<Principal>();
    expectTypeOf<RouteRequest<'GET /v1/reports/public'>['principal']>().toEqualTypeOf<Principal | undefined>();
    expectTypeOf<
      RouteRequest<'GET /v1/dossiers/{dossierId}/documents/{componentId}/download-url'>['params']
    >().toEqualTypeOf<{ readonly dossierId: string; readonly componentId: string }>();
    // A key another function serves, or a typo, is not a key of this one.
    const wrong: Partial<RoutesOf<'reports'>> = {
      // @ts-expect-error the lookup route is not the reports function's
      'GET /v1/lookup/{dossierCode}': async () => json(200, {}),
    };
    expect(Object.keys(wrong)).toHaveLength(1);
    // @ts-expect-error a detail-type that is not an event name
    const typo: DomainEventPattern = { 'detail-type': ['DossierSubmited'] };
    expect(typo).toBeDefined();
  });
});

describe('Function: httpApi', () => {
  const pay = httpApi('payments', {
    'POST /v1/dossiers/{dossierId}/payments': async (req) =>
      json(201, { sub: req.principal.sub, dossierId: req.params.dossierId }),
  });

  it('refuses to build a function that maps a route its manifest entry does not give it', () => {
    const routes = { 'GET /v1/lookup/{dossierCode}': async () => json(200, {}) };
    expect(() => httpApi('payments', routes as unknown as RoutesOf<'payments'>)).toThrow(/does not give it/);
  });

  it('hands a protected route the principal and its checked id', async () => {
    const r = await pay(
      event('POST /v1/dossiers/{dossierId}/payments', { dossierId: DOSSIER }, { sub: 'c-1', role: 'citizen' }, {}),
      {} as Context,
    );
    expect(status(r)).toEqual([201, { sub: 'c-1', dossierId: DOSSIER }]);
  });

  it('answers a protected route without a principal 401, never 500', async () => {
    const r = await pay(event('POST /v1/dossiers/{dossierId}/payments', { dossierId: DOSSIER }), {} as Context);
    expect(status(r)[0]).toBe(401);
    expect(status(r)[1].error.code).toBe('UNAUTHORIZED');
  });

  it("answers a malformed id with its parameter's error before the route runs", async () => {
    for (const id of ['x', '../..', 'a'.repeat(2100), `${DOSSIER}x`]) {
      const r = await pay(
        event('POST /v1/dossiers/{dossierId}/payments', { dossierId: id }, { sub: 'c-1', role: 'citizen' }, {}),
        {} as Context,
      );
      expect([status(r)[0], status(r)[1].error.code]).toEqual([404, 'DOSSIER_NOT_FOUND']);
    }
  });

  it('answers a malformed procedure id 404 on a read and 400 INVALID_PROCEDURE_ID on the upsert', async () => {
    const catalog = httpApi('catalog', {
      'GET /v1/procedures': async () => json(200, {}),
      'GET /v1/procedures/{procedureId}': async () => json(200, {}),
      'GET /v1/procedures/{procedureId}/qr.svg': async () => json(200, {}),
      'PUT /v1/admin/procedures/{procedureId}': async () => json(200, {}),
    });
    const admin = { sub: 'a-1', role: 'admin', ward: 'bimson' };
    const read = await catalog(event('GET /v1/procedures/{procedureId}', { procedureId: '..' }), {} as Context);
    expect([status(read)[0], status(read)[1].error.code]).toEqual([404, 'PROCEDURE_NOT_FOUND']);
    const put = await catalog(
      event('PUT /v1/admin/procedures/{procedureId}', { procedureId: '..' }, admin, {}),
      {} as Context,
    );
    expect([status(put)[0], status(put)[1].error.code]).toEqual([400, 'INVALID_PROCEDURE_ID']);
  });
});
