/**
 * The National Public Service Portal (DVCQG) over HTTP, as OpenCPS speaks to it: `POST authUrl
 * {username, password}` -> `{session, error_code: 0}`; then `POST syncUrl {session, madonvi,
 * service, ...}` -> `{error_code: "00"}` when accepted. The session is kept per container and
 * reused until the portal refuses a call made with it; then the client logs in once and tries
 * that call once more. Anything but "00" is not delivered.
 *
 * Settings: locally (MOTCUA_LOCAL=1) from the environment (the runtime points them at its sandbox
 * portal unless set); in the cloud from the gateway secret (keys DVCQG_AUTH_URL, DVCQG_SYNC_URL,
 * DVCQG_USERNAME, DVCQG_PASSWORD, DVCQG_UNIT_CODE). Never logged.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { DossierRecord, ProgressRecord } from '#shared/dvcqg/payload.ts';
import type { PortalClient } from '#shared/dvcqg/sync.ts';
import { PortalCallError, PortalNotConfiguredError } from '#shared/errors.ts';
import { retry } from '#shared/retry.ts';
import { ENV } from '#wiring/definitions.ts';

/** One portal call: two tries, the second 150-500 ms after the first failed. */
const BLIP_RETRY = { attempts: 2, delay: () => 150 + Math.random() * 350 } as const;

export interface DvcqgSettings {
  readonly authUrl: string;
  readonly syncUrl: string;
  readonly username: string;
  readonly password: string;
  /** madonvi: the unit's code on the portal. */
  readonly unitCode: string;
  /** A call without an answer by then is an unknown outcome. */
  readonly timeoutMs: number;
}

/** The setting names (environment locally, secret keys in the cloud). */
const DVCQG_SETTINGS = {
  authUrl: 'DVCQG_AUTH_URL',
  syncUrl: 'DVCQG_SYNC_URL',
  username: 'DVCQG_USERNAME',
  password: 'DVCQG_PASSWORD',
  unitCode: 'DVCQG_UNIT_CODE',
  timeoutMs: 'DVCQG_TIMEOUT_MS',
} as const;

const DEFAULT_TIMEOUT_MS = 8_000;
const SECRET_TTL_MS = 5 * 60_000;

/** Reads the settings from a flat record; throws PortalNotConfiguredError without a sync URL. */
export function parseDvcqgSettings(values: Readonly<Record<string, unknown>>): DvcqgSettings {
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : '');
  const syncUrl = str(DVCQG_SETTINGS.syncUrl);
  // Unset, or the secret's placeholder: the link is not configured yet.
  if (!/^https?:\/\//.test(syncUrl)) throw new PortalNotConfiguredError();
  const timeout = Number(str(DVCQG_SETTINGS.timeoutMs) || DEFAULT_TIMEOUT_MS);
  return {
    authUrl: str(DVCQG_SETTINGS.authUrl) || syncUrl,
    syncUrl,
    username: str(DVCQG_SETTINGS.username),
    password: str(DVCQG_SETTINGS.password),
    unitCode: str(DVCQG_SETTINGS.unitCode),
    timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_TIMEOUT_MS,
  };
}

let secrets: SecretsManagerClient | undefined;
let cached: { at: number; value: Promise<DvcqgSettings> } | undefined;

/** The portal settings: the environment locally, the gateway secret in the cloud (cached a few minutes). */
function dvcqgSettings(): Promise<DvcqgSettings> {
  const arn = process.env[ENV.gatewaySecretArn];
  if (process.env[ENV.local] === '1' || !arn) {
    try {
      return Promise.resolve(parseDvcqgSettings(process.env));
    } catch (e) {
      return Promise.reject(e);
    }
  }
  if (!cached || Date.now() - cached.at > SECRET_TTL_MS) {
    const value = (async () => {
      secrets ??= new SecretsManagerClient({});
      const r = await secrets.send(new GetSecretValueCommand({ SecretId: arn }));
      let v: unknown;
      try {
        v = JSON.parse(r.SecretString ?? '');
      } catch {
        throw new Error('the gateway settings secret is not a JSON object');
      }
      if (typeof v !== 'object' || v === null) throw new Error('the gateway settings secret is not a JSON object');
      return parseDvcqgSettings(v as Record<string, unknown>);
    })();
    const entry = { at: Date.now(), value };
    cached = entry;
    value.catch(() => {
      if (cached === entry) cached = undefined;
    });
  }
  return cached.value;
}

type Answer = { readonly status: number; readonly body: Record<string, unknown> | undefined };

/** error_code as text ("00", "0", ...), whether the portal sent a number or a string. */
const codeOf = (a: Answer): string | undefined => {
  const c = a.body?.error_code;
  return typeof c === 'number' || typeof c === 'string' ? String(c) : undefined;
};

export class HttpPortalClient implements PortalClient {
  private session: Promise<string> | undefined;
  /** How many times this client logged in (the sessions it opened). */
  logins = 0;

  constructor(
    private readonly settings: () => Promise<DvcqgSettings> = dvcqgSettings,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  async syncDossier(record: DossierRecord, isUpdating: boolean): Promise<void> {
    await this.call({ service: 'DongBoHoSoMC', isUpdating: isUpdating ? 'True' : 'False', data: [record] });
  }

  async updateProgress(record: ProgressRecord): Promise<void> {
    await this.call({ service: 'CapNhatTienDoHoSoMC', data: [record] });
  }

  async hasDossier(code: string): Promise<boolean> {
    const a = await this.call({ service: 'TraCuuHoSo', mahoso: code });
    const result = a.body?.result;
    return Array.isArray(result) ? result.length > 0 : result !== undefined && result !== null;
  }

  /** One service call: the session, one re-login if it is refused, one quick retry if there is no answer. */
  private async call(payload: Record<string, unknown>): Promise<Answer> {
    const s = await this.settings();
    let unknown = false;
    // A second chance soon (a blip), with jitter; longer outages are the queue's and the schedule's.
    return retry(() => this.withSession(s, payload), BLIP_RETRY, {
      retryIf: (e) => {
        if (!(e instanceof PortalCallError)) return false;
        // Once a try may have been taken, the call's outcome stays unknown whatever the next says.
        unknown ||= e.outcome === 'unknown';
        return true;
      },
      exhausted: (e) => (unknown && e instanceof PortalCallError ? new PortalCallError(e.message, 'unknown') : e),
      sleep: this.sleep,
    });
  }

  private async withSession(s: DvcqgSettings, payload: Record<string, unknown>): Promise<Answer> {
    let fresh = false;
    let pending = this.session;
    if (!pending) {
      pending = this.login(s);
      fresh = true;
    }
    let session = await pending;
    let a = await this.post(s, s.syncUrl, { session, madonvi: s.unitCode, ...payload });
    if (codeOf(a) !== '00' && !fresh && a.status < 500) {
      // Refused with a session we had kept: it may have expired. Log in once and try once more.
      if (this.session === pending) this.session = undefined;
      this.session ??= this.login(s);
      session = await this.session;
      a = await this.post(s, s.syncUrl, { session, madonvi: s.unitCode, ...payload });
    }
    const code = codeOf(a);
    if (code !== '00') {
      const why = `${String(payload.service)}: HTTP ${a.status}, error_code ${code ?? 'none'}`;
      // 503 and plain refusals were not processed; another 5xx may have been (a proxy gave up).
      throw new PortalCallError(why, a.status >= 500 && a.status !== 503 ? 'unknown' : 'refused');
    }
    return a;
  }

  private login(s: DvcqgSettings): Promise<string> {
    const p = (async () => {
      this.logins++;
      const a = await this.post(s, s.authUrl, { username: s.username, password: s.password });
      const session = a.body?.session;
      const code = codeOf(a);
      if ((code !== '0' && code !== '00') || typeof session !== 'string' || !session) {
        throw new PortalCallError(`login: HTTP ${a.status}, error_code ${code ?? 'none'}`, 'refused');
      }
      return session;
    })();
    this.session = p;
    // A failed login is forgotten: the next call logs in again.
    p.catch(() => {
      if (this.session === p) this.session = undefined;
    });
    return p;
  }

  private async post(s: DvcqgSettings, url: string, body: unknown): Promise<Answer> {
    let r: Response;
    try {
      r = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', accept: 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(s.timeoutMs),
      });
    } catch (e) {
      // A refused connection carried nothing; a timeout or a reset may have been processed.
      const code = e instanceof Error && (e.cause as { code?: unknown } | undefined)?.code;
      if (code === 'ECONNREFUSED') throw new PortalCallError('portal unreachable', 'refused');
      const why = e instanceof Error && e.name === 'TimeoutError' ? 'timed out' : 'connection failed';
      throw new PortalCallError(`portal ${why}`, 'unknown');
    }
    let text: string;
    try {
      text = await r.text();
    } catch {
      throw new PortalCallError('portal answer cut off', 'unknown');
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const bodyOut = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
    return { status: r.status, body: bodyOut };
  }
}
