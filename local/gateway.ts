/**
 * The local HTTP API: one port, routes from the manifest, API Gateway v2 payloads built from real
 * requests, the JWT authorizer's checks, and the same handlers the cloud runs.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { type FunctionSpec, functions, PUBLIC_RATE_LIMIT, type RouteSpec } from '#wiring/manifest.ts';
import type { LocalIssuer } from './jwt.ts';
import { createRateLimiter } from './rate-limit.ts';

/** API Gateway's own payload limit. Handlers apply their smaller ones. */
const MAX_PAYLOAD = 10 * 1024 * 1024;

type HttpLambda = (
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

interface CompiledRoute {
  readonly fn: FunctionSpec;
  readonly route: RouteSpec;
  readonly regex: RegExp;
  readonly names: readonly string[];
  readonly literal: number;
}

function compile(fn: FunctionSpec, route: RouteSpec): CompiledRoute {
  const names: string[] = [];
  let literal = 0;
  const pattern = route.path
    .split('/')
    .map((seg) => {
      const m = /^\{([^}+]+)(\+)?\}$/.exec(seg);
      if (!m) {
        literal++;
        return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      }
      names.push(m[1] as string);
      return m[2] ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return { fn, route, regex: new RegExp(`^${pattern}$`), names, literal };
}

export function lambdaContext(name: string, timeoutS: number): Context {
  const deadline = Date.now() + timeoutS * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${name}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

const errorJson = (code: string, message: string) => JSON.stringify({ error: { code, message } });

interface GatewayOptions {
  readonly port: number;
  readonly host: string;
  readonly issuer: LocalIssuer;
  readonly load: (fn: FunctionSpec) => Promise<unknown>;
  /** The per-IP limit of the throttled routes (the manifest's by default); `false` for none (the bench). */
  readonly publicRateLimit?: { readonly requests: number; readonly windowS: number } | false;
}

export async function startGateway(opts: GatewayOptions): Promise<Server> {
  const routes = functions.flatMap((fn) => (fn.routes ?? []).map((r) => compile(fn, r)));
  // More literal segments first: /v1/procedures/{id}/qr.svg before /v1/procedures/{id}.
  routes.sort((a, b) => b.literal - a.literal);
  // The WAF rate-based rule of the cloud's edge, for the routes the manifest marks `throttled`.
  const limiter =
    opts.publicRateLimit === false ? undefined : createRateLimiter(opts.publicRateLimit ?? PUBLIC_RATE_LIMIT);

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      console.error('[gateway]', e);
      if (!res.headersSent) send(res, 500, errorJson('INTERNAL_ERROR', 'Đã có lỗi hệ thống.'));
    });
  });

  function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(body);
  }

  async function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > MAX_PAYLOAD) return 'too-large';
      chunks.push(c as Buffer);
    }
    return Buffer.concat(chunks);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://local');
    const method = (req.method ?? 'GET').toUpperCase();
    const rawPath = url.pathname;
    let match: { r: CompiledRoute; params: Record<string, string> } | undefined;
    for (const r of routes) {
      if (r.route.method !== method) continue;
      const m = r.regex.exec(rawPath);
      if (!m) continue;
      const params: Record<string, string> = {};
      try {
        r.names.forEach((n, i) => {
          params[n] = decodeURIComponent(m[i + 1] as string);
        });
      } catch {
        continue;
      }
      match = { r, params };
      break;
    }
    const body = await readBody(req);
    if (body === 'too-large') {
      send(res, 413, errorJson('PAYLOAD_TOO_LARGE', 'Nội dung yêu cầu quá lớn.'));
      req.destroy();
      return;
    }
    if (!match) {
      send(res, 404, errorJson('ROUTE_NOT_FOUND', 'Đường dẫn không tồn tại.'));
      return;
    }
    if (match.r.route.throttled && limiter && !limiter.hit(req.socket.remoteAddress ?? '')) {
      send(res, 429, errorJson('RATE_LIMITED', 'Quá nhiều yêu cầu từ địa chỉ này; vui lòng thử lại sau ít phút.'), {
        'retry-after': String(limiter.retryAfterS()),
      });
      return;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
    }
    // The JWT authorizer: a route with roles needs a valid bearer token.
    let claims: Record<string, string | number | boolean | string[]> | undefined;
    if (match.r.route.roles !== 'public') {
      const auth = headers.authorization ?? '';
      const token = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
      const payload = token ? await opts.issuer.verify(token) : undefined;
      if (!payload) {
        send(res, 401, errorJson('UNAUTHORIZED', 'Cần đăng nhập hợp lệ để thực hiện thao tác này.'), {
          'www-authenticate': 'Bearer',
        });
        return;
      }
      claims = {};
      for (const [k, v] of Object.entries(payload)) {
        if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') claims[k] = v;
      }
    }
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = Object.hasOwn(query, k) ? `${query[k]},${v}` : v;
    const isText = /json|text|x-www-form-urlencoded|xml/.test(headers['content-type'] ?? 'application/json');
    const now = new Date();
    const event: APIGatewayProxyEventV2WithJWTAuthorizer = {
      version: '2.0',
      routeKey: `${match.r.route.method} ${match.r.route.path}`,
      rawPath,
      rawQueryString: url.search.slice(1),
      headers,
      ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
      ...(match.r.names.length ? { pathParameters: match.params } : {}),
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        domainName: headers.host ?? 'localhost',
        domainPrefix: 'local',
        http: {
          method,
          path: rawPath,
          protocol: `HTTP/${req.httpVersion}`,
          sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
          userAgent: headers['user-agent'] ?? '',
        },
        requestId: randomUUID(),
        routeKey: `${match.r.route.method} ${match.r.route.path}`,
        stage: '$default',
        time: now.toISOString(),
        timeEpoch: now.getTime(),
        authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: claims ?? {}, scopes: [] } },
      },
      ...(body.length ? { body: isText ? body.toString('utf8') : body.toString('base64') } : {}),
      isBase64Encoded: body.length > 0 && !isText,
    };
    if (!claims) {
      // Public routes carry no authorizer context in API Gateway.
      (event.requestContext as { authorizer?: unknown }).authorizer = undefined;
    }
    const mod = (await opts.load(match.r.fn)) as { handler: HttpLambda };
    const result = await mod.handler(event, lambdaContext(match.r.fn.name, match.r.fn.timeoutS));
    const outHeaders: Record<string, string> = {};
    for (const [k, v] of Object.entries(result.headers ?? {})) outHeaders[k] = String(v);
    const payload =
      result.body === undefined ? '' : result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
    res.writeHead(result.statusCode ?? 200, outHeaders);
    res.end(payload);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.keepAliveTimeout = 5000;
  return server;
}
