/**
 * The local stack the integration files talk to: the real servers, the same handlers, on free
 * ports, in memory. Tests talk to it over HTTP and through the AWS SDK, as front ends and the
 * cloud would.
 *
 * Most files share one stack: `sharedStack()` starts it on first use in the test process and hands
 * the same one to every later file of that process (the `int` project runs its files in one
 * process, without isolation: vitest.config.ts). Booting a runtime (DynamoDB Local's JVM, s3rver,
 * fauxqs, the handlers' modules) costs seconds, which every file paid before. A file on the shared
 * stack keeps to data of its own (its own subjects, dossiers and codes) and leaves the stack as it
 * found it: `stop()` only puts the driven clock back.
 *
 * `startStack()` starts a stack of the file's own, for the files that change what every handler of
 * the process reads (the environment, the gateways' secrets, the catalog, the calendar), stop or
 * kill a part of it (the relay, DynamoDB Local) or count everything of a ward; those run in the
 * `int-own` project, one process per file. A runtime sets the process's environment and the
 * handlers' modules keep their clients, so one process never holds two runtimes: asking for
 * both fails at once.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Runtime, startRuntime } from '#local/runtime.ts';
import { freePort } from '#local/servers.ts';

export interface Stack {
  readonly rt: Runtime;
  readonly base: string;
  call(
    method: string,
    path: string,
    opts?: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; json: any; text: string; headers: Headers }>;
  token(role: string, sub: string, ward?: string): Promise<string>;
  /** The usual cast: two citizens, the four staff roles of bimson, and a receiver of another ward. */
  cast(citizenSub?: string): Promise<Cast>;
  stop(): Promise<void>;
}

export interface Cast {
  readonly citizen: string;
  readonly citizenB: string;
  readonly receiver: string;
  readonly specialist: string;
  readonly leader: string;
  readonly admin: string;
  readonly otherWard: string;
}

interface StackOptions {
  readonly retryDelayS?: number;
  readonly env?: Readonly<Record<string, string>>;
}

let shared: Promise<Stack> | undefined;
let own = false;

/** A stack of the file's own: started now, stopped (and its folder removed) by `stop()`. */
export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  if (process.env.MOTCUA_TEST_SHARED_STACK === '1' || shared) {
    throw new Error(
      'this test process shares one local stack among its files: a file that needs a stack of its own ' +
        'belongs to the int-own project (OWN_STACK in vitest.config.ts), where each file has a process of its own',
    );
  }
  own = true;
  return boot(opts);
}

/**
 * The process's shared stack, started on first use. `stop()` puts the driven clock back to real
 * time (a file may have moved it); the stack itself stops when the process ends.
 */
export function sharedStack(): Promise<Stack> {
  if (own) throw new Error('this test process already runs a stack of its own: one process, one runtime');
  shared ??= boot({}).then((s) => {
    // The servers live in this process and end with it; DynamoDB Local's watchdog
    // (local/servers.ts) stops the JVM within a second of that. Only the folder is left to remove.
    const removeFolder = () => rmSync(s.dataDir, { recursive: true, force: true });
    process.once('exit', removeFolder);
    // The test runner ends its workers with SIGTERM, which would skip the 'exit' handlers.
    process.once('SIGTERM', () => process.exit(0));
    return {
      ...s,
      stop: async () => {
        const r = await s.call('POST', '/local/clock', { body: { offsetMs: 0 } });
        if (r.status !== 200) throw new Error(`clock reset: ${r.status} ${r.text}`);
      },
    };
  });
  return shared;
}

async function boot(opts: StackOptions): Promise<Stack & { readonly dataDir: string }> {
  const port = await freePort();
  // Each stack its own folder: two runs on one machine never share files.
  const dataDir = mkdtempSync(join(tmpdir(), 'motcua-test-'));
  const rt = await startRuntime({
    port,
    dataDir,
    memory: true,
    retryDelayS: opts.retryDelayS ?? 1,
    schedules: false,
    ...(opts.env ? { env: opts.env } : {}),
  });
  const base = rt.baseUrl;
  const call: Stack['call'] = async (method, path, o = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body: string | undefined;
    if (o.raw !== undefined) body = o.raw;
    else if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers['content-type'] ??= 'application/json';
    }
    const r = await fetch(base + path, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await r.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: r.status, json, text, headers: r.headers };
  };
  const token: Stack['token'] = async (role, sub, ward) => {
    const r = await call('POST', '/local/token', { body: { role, sub, ...(ward ? { ward } : {}) } });
    if (r.status !== 200) throw new Error(`token ${role}: ${r.status} ${r.text}`);
    return r.json.access_token as string;
  };
  return {
    rt,
    base,
    call,
    token,
    cast: async (citizenSub = 'citizen-a') => {
      const t = token;
      return {
        citizen: await t('citizen', citizenSub),
        citizenB: await t('citizen', `${citizenSub}-other`),
        receiver: await t('receiver', 'receiver-1', 'bimson'),
        specialist: await t('specialist', 'specialist-1', 'bimson'),
        leader: await t('leader', 'leader-1', 'bimson'),
        admin: await t('admin', 'admin-1', 'bimson'),
        otherWard: await t('receiver', 'receiver-9', 'quangtrung'),
      };
    },
    dataDir,
    stop: async () => {
      await rt.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` returns a value, or fails after `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const t0 = Date.now();
  let last: unknown;
  while (Date.now() - t0 < ms) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`condition not met within ${ms} ms${last ? `: ${String(last)}` : ''}`);
}

export const applicant = (n = 1) => ({
  fullName: `Nguyễn Thị Hồng Nhung ${n}`,
  idNumber: `0381900${String(100000 + n).slice(-5)}`,
  phone: `09123${String(10000 + n).slice(-5)}`,
});
