/**
 * The HTTP side of every API function: one middy chain that parses and bounds the body, turns
 * the authorizer's claims into a Principal, enforces the manifest's roles for the route, checks
 * the path ids (functions/lib/path-params.ts), and maps typed errors to `{ error: { code, message } }`.
 * Handlers only say what a route does: `httpApi('<function>', routes)` takes exactly the routes the
 * manifest gives that function, and a protected route's handler gets a principal, never undefined.
 */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
// The core's error class alone: `instanceof` holds for the errors of every zod schema, and importing
// it does not bundle zod's schema builders into functions that validate nothing.
import { $ZodError } from 'zod/v4/core';
import { ID_NUMBER, isRole, type Principal } from '#shared/auth.ts';
import {
  AppError,
  ForbiddenError,
  INVISIBLE_CHARACTERS,
  MalformedJsonError,
  NotFoundError,
  PayloadTooLargeError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
} from '#shared/errors.ts';
import {
  type FunctionName,
  type IsPublic,
  type PathOf,
  type PathParamsOf,
  type RouteKey,
  type RouteKeyOf,
  type RouteSpec,
  routesOf,
} from '#wiring/manifest.ts';
import { checkedParams } from './path-params.ts';
import { logContext, logger } from './powertools.ts';

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpResponse = APIGatewayProxyStructuredResultV2;

/** A request as any route sees it; a route's own handler gets the narrower {@link RouteRequest}. */
export interface HttpRequest {
  readonly routeKey: string;
  readonly principal?: Principal;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly correlationId: string;
  readonly sourceIp: string;
}

/**
 * What the handler of one route key gets: its path parameters, each present and checked
 * (functions/lib/path-params.ts), and on a route the manifest protects, the caller's principal.
 */
export type RouteRequest<K extends RouteKey> = Omit<HttpRequest, 'routeKey' | 'principal' | 'params'> & {
  readonly routeKey: K;
  readonly params: { readonly [P in PathParamsOf<PathOf<K>>]: string };
} & (IsPublic<K> extends true ? { readonly principal?: Principal } : { readonly principal: Principal });

export interface HttpResult {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as-is (text), or base64-encoded when a Uint8Array. */
  readonly raw?: string | Uint8Array;
}

interface RouteOptions {
  /** How to read the body: JSON (default for POST/PUT), an HTML form, or none. */
  readonly body?: 'json' | 'form' | 'none';
  readonly maxBodyBytes?: number;
}

type RouteHandler<K extends RouteKey> = (req: RouteRequest<K>) => Promise<HttpResult>;
export type RouteEntry<K extends RouteKey> =
  | RouteHandler<K>
  | { readonly handler: RouteHandler<K>; readonly options: RouteOptions };
/** Handlers for exactly these route keys. */
export type RouteMap<K extends RouteKey> = { readonly [P in K]: RouteEntry<P> };
/** Handlers for exactly the routes of one function of the manifest: a key it does not serve fails tsc. */
export type RoutesOf<N extends FunctionName> = RouteMap<Extract<RouteKeyOf<N>, RouteKey>>;

/** A function-wide way to answer an error (the public pages answer browsers with a page); undefined: the usual JSON. */
type ErrorRenderer = (error: unknown, req: HttpRequest) => HttpResult | undefined;

/** The request bodies of this API are small; anything larger is a mistake or an attack. */
const DEFAULT_MAX_BODY = 64 * 1024;

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } as const;

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResult => ({
  status,
  body,
  headers,
});

/** A CSV file to download (reports, the register): 200, UTF-8, as an attachment named `filename`. */
export const csvAttachment = (csv: string, filename: string): HttpResult => ({
  status: 200,
  raw: csv,
  headers: {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${filename}"`,
  },
});

/**
 * The verified claims: a JWT authorizer's (kiosk devices; the user pool where citizens sign in
 * through it), or the Lambda authorizer's context (functions/authorizer.ts), whose cached answer
 * outlives no token: its `exp` is checked here.
 */
function claimsOf(event: HttpEvent): Readonly<Record<string, unknown>> | undefined {
  const authorizer = event.requestContext.authorizer as
    | { jwt?: { claims?: Record<string, unknown> }; lambda?: Record<string, unknown> }
    | undefined;
  if (authorizer?.jwt?.claims) return authorizer.jwt.claims;
  const lambda = authorizer?.lambda;
  // Numbers may arrive as strings through API Gateway's context; an answer without `exp` is no answer.
  const exp = Number(lambda?.exp);
  if (!lambda || !Number.isFinite(exp) || exp * 1000 <= Date.now()) return undefined;
  return lambda;
}

function principalOf(event: HttpEvent): Principal | undefined {
  const claims = claimsOf(event);
  if (!claims) return undefined;
  const { sub, role, ward, residentialGroup, idNumber, name, title } = claims;
  if (typeof sub !== 'string' || !sub || !isRole(role)) return undefined;
  // A helper's residential group and a citizen's identity number count only on those roles.
  const group = role === 'helper' && typeof residentialGroup === 'string' && residentialGroup ? residentialGroup : '';
  const id = role === 'citizen' && typeof idNumber === 'string' && ID_NUMBER.test(idNumber) ? idNumber : '';
  const short = (v: unknown) => (typeof v === 'string' && v.trim() && v.length <= 120 ? v.trim() : undefined);
  const n = short(name);
  const t = short(title);
  return {
    sub,
    role,
    ...(typeof ward === 'string' && ward ? { ward } : {}),
    ...(group ? { residentialGroup: group } : {}),
    ...(id ? { idNumber: id } : {}),
    ...(n ? { name: n } : {}),
    ...(t ? { title: t } : {}),
  };
}

function readBody(event: HttpEvent, mode: 'json' | 'form' | 'none', max: number): unknown {
  if (mode === 'none' || event.body === undefined || event.body === null || event.body === '') return undefined;
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (raw.length > max) throw new PayloadTooLargeError(max);
  const type = (event.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  const text = raw.toString('utf8');
  if (mode === 'form') {
    if (type !== 'application/x-www-form-urlencoded') throw new UnsupportedMediaTypeError();
    return Object.fromEntries(new URLSearchParams(text));
  }
  if (type !== 'application/json' && !type?.endsWith('+json')) throw new UnsupportedMediaTypeError();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new MalformedJsonError();
  }
}

function errorBody(code: string, message: string, details?: unknown) {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

export function toResponse(r: HttpResult, correlationId: string): HttpResponse {
  const headers: Record<string, string> = {
    'x-correlation-id': correlationId,
    ...(r.raw === undefined ? JSON_HEADERS : {}),
    ...r.headers,
  };
  if (r.raw instanceof Uint8Array) {
    return { statusCode: r.status, headers, body: Buffer.from(r.raw).toString('base64'), isBase64Encoded: true };
  }
  if (typeof r.raw === 'string') return { statusCode: r.status, headers, body: r.raw };
  return { statusCode: r.status, headers, ...(r.body === undefined ? {} : { body: JSON.stringify(r.body) }) };
}

export function errorResult(e: unknown): HttpResult {
  if (e instanceof AppError) return json(e.status, errorBody(e.code, e.message, e.details));
  if (e instanceof $ZodError) {
    const details = e.issues.slice(0, 20).map((i) => ({ path: i.path.join('.'), message: i.message }));
    // A text with an invisible, bidirectional or tag character has its own stable code (shared/api/zod.ts).
    const invisible = e.issues.some((i) => i.code === 'custom' && i.params?.errorCode === INVISIBLE_CHARACTERS);
    if (invisible) {
      return json(
        400,
        errorBody(INVISIBLE_CHARACTERS, 'Văn bản chứa ký tự ẩn, ký tự điều khiển hướng hoặc ký tự thẻ.', details),
      );
    }
    return json(400, errorBody('VALIDATION_FAILED', 'Dữ liệu gửi lên không hợp lệ.', details));
  }
  return json(500, errorBody('INTERNAL_ERROR', 'Đã có lỗi hệ thống; vui lòng thử lại sau.'));
}

interface HttpContext extends Context {
  /** Filled by the middlewares below, read by the dispatcher. */
  motcua?: {
    correlationId: string;
    started: number;
    principal?: Principal;
    body?: unknown;
    options: RouteOptions;
  };
}

type HttpMiddleware = middy.MiddlewareObj<HttpEvent, HttpResponse, Error, HttpContext>;

/** One route of a function, its handler erased to the common request type. */
interface Served {
  readonly spec: RouteSpec;
  readonly handler: (req: HttpRequest) => Promise<HttpResult>;
  readonly options: RouteOptions;
}
type ServedRoutes = ReadonlyMap<string, Served>;

function served(fn: FunctionName, routes: Readonly<Record<string, unknown>>): ServedRoutes {
  const specs = routesOf(fn);
  const out = new Map<string, Served>();
  for (const [key, entry] of Object.entries(routes)) {
    const spec = specs.get(key);
    if (!spec) throw new Error(`${fn} maps ${key}, which the manifest does not give it`);
    // The chain gives each handler what its RouteRequest promises: the spec's roles decide the
    // principal, checkedParams the path parameters. Past that point a handler is one of many.
    const e = entry as ((req: HttpRequest) => Promise<HttpResult>) | Served;
    out.set(key, typeof e === 'function' ? { spec, handler: e, options: {} } : { ...e, spec });
  }
  return out;
}

/** Correlation id (x-correlation-id or the request id) in every log line, and one access line per request. */
const correlation = (): HttpMiddleware => ({
  before: (request) => {
    const e = request.event;
    const correlationId = e.headers['x-correlation-id']?.slice(0, 100) || e.requestContext.requestId;
    request.context.motcua = { correlationId, started: Date.now(), options: {} };
    logger.appendKeys({ correlationId, routeKey: e.routeKey });
  },
  after: (request) => {
    const m = request.context.motcua;
    logger.info('request', { status: request.response?.statusCode, ms: m ? Date.now() - m.started : undefined });
  },
});

/** The manifest's roles for the route: no principal on a protected route is 401, a wrong role 403. */
const authorization = (routes: ServedRoutes): HttpMiddleware => ({
  before: (request) => {
    const route = routes.get(request.event.routeKey);
    if (!route) throw new NotFoundError('Đường dẫn', 'ROUTE_NOT_FOUND');
    const principal = principalOf(request.event);
    if (route.spec.roles !== 'public') {
      if (!principal) throw new UnauthorizedError();
      if (!route.spec.roles.includes(principal.role)) throw new ForbiddenError();
    }
    const m = request.context.motcua;
    if (m) {
      m.options = route.options;
      if (principal) m.principal = principal;
    }
  },
});

/** Reads the body the route expects (JSON or a form), bounded in size and content type. */
const bodyParser = (): HttpMiddleware => ({
  before: (request) => {
    const m = request.context.motcua;
    if (!m) return;
    const method = request.event.requestContext.http.method;
    const mode = m.options.body ?? (method === 'POST' || method === 'PUT' ? 'json' : 'none');
    m.body = readBody(request.event, mode, m.options.maxBodyBytes ?? DEFAULT_MAX_BODY);
  },
});

/** Typed errors to `{ error: { code, message } }`; anything else is a 500 that leaks nothing. */
const errorMapper = (): HttpMiddleware => ({
  onError: (request) => {
    const result = errorResult(request.error);
    if (result.status >= 500) logger.error('request failed', request.error ?? 'unknown');
    const correlationId = request.context.motcua?.correlationId ?? request.event.requestContext.requestId;
    request.response = toResponse(result, correlationId);
    logger.info('request', { status: result.status });
  },
});

/**
 * Builds the Lambda handler of an API function from its routes: `fn` is its key in the manifest,
 * and `routes` maps exactly that entry's route keys. `renderError` answers a function's errors its
 * own way (returning undefined leaves them to the JSON error mapper).
 */
export function httpApi<N extends FunctionName>(fn: N, routes: RoutesOf<N>, renderError?: ErrorRenderer) {
  const table = served(fn, routes);
  const dispatch = async (event: HttpEvent, context: HttpContext): Promise<HttpResponse> => {
    const m = context.motcua;
    const route = table.get(event.routeKey);
    if (!m || !route) throw new NotFoundError('Đường dẫn', 'ROUTE_NOT_FOUND');
    const query: Record<string, string> = {};
    for (const [k, v] of Object.entries(event.queryStringParameters ?? {})) if (v !== undefined) query[k] = v;
    const raw: HttpRequest = {
      routeKey: event.routeKey,
      ...(m.principal ? { principal: m.principal } : {}),
      params: {},
      query,
      headers: event.headers as Record<string, string>,
      body: m.body,
      correlationId: m.correlationId,
      sourceIp: event.requestContext.http.sourceIp,
    };
    let result: HttpResult;
    try {
      const params = checkedParams(route.spec.method, route.spec.path, event.pathParameters ?? {});
      result = await route.handler({ ...raw, params });
    } catch (e) {
      const rendered = renderError?.(e, raw);
      if (!rendered) throw e;
      result = rendered;
    }
    return toResponse(result, m.correlationId);
  };
  // Order: onError runs last-registered-first, so errorMapper is registered early (and the
  // logger's context before it, so that its keys are dropped only after the last log line).
  return middy<HttpEvent, HttpResponse, Error, HttpContext>()
    .use(logContext())
    .use(errorMapper())
    .use(correlation())
    .use(authorization(table))
    .use(bodyParser())
    .handler(dispatch);
}
