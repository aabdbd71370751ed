/**
 * A lean HTTP/1.1 client with keep-alive for the measurements (less client overhead than fetch),
 * timing each request from the first byte written to the last byte of the body read.
 */
import { Agent, request as httpRequest } from 'node:http';

export interface Reply {
  readonly status: number;
  readonly body: Buffer;
  readonly ms: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  json(): any;
  text(): string;
}

interface CallOptions {
  readonly token?: string | undefined;
  readonly json?: unknown;
  readonly form?: Record<string, string>;
  readonly raw?: Buffer | Uint8Array;
  readonly headers?: Record<string, string>;
}

export class HttpClient {
  private readonly agent: Agent;
  private readonly host: string;
  private readonly port: number;

  constructor(
    readonly base: string,
    maxSockets = 16,
  ) {
    const u = new URL(base);
    this.host = u.hostname;
    this.port = Number(u.port || 80);
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  call(method: string, path: string, o: CallOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body: Buffer | undefined;
    if (o.json !== undefined) {
      body = Buffer.from(JSON.stringify(o.json));
      headers['content-type'] ??= 'application/json';
    } else if (o.form) {
      body = Buffer.from(new URLSearchParams(o.form).toString());
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
    } else if (o.raw) body = Buffer.from(o.raw);
    if (body) headers['content-length'] = String(body.length);
    return new Promise((resolve, reject) => {
      const t0 = performance.now();
      const req = httpRequest({ host: this.host, port: this.port, method, path, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const ms = performance.now() - t0;
          const buf = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            body: buf,
            ms,
            headers: res.headers,
            json: () => JSON.parse(buf.toString('utf8')),
            text: () => buf.toString('utf8'),
          });
        });
      });
      req.on('error', reject);
      if (body) req.write(body);
      req.end();
    });
  }

  /** Like `call`, but fails unless the status is 2xx. */
  async ok(method: string, path: string, o: CallOptions = {}): Promise<Reply> {
    const r = await this.call(method, path, o);
    if (r.status < 200 || r.status >= 300) {
      throw new Error(`${method} ${path}: ${r.status} ${r.text().slice(0, 300)}`);
    }
    return r;
  }

  close(): void {
    this.agent.destroy();
  }
}
