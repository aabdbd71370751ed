/**
 * The payment gateways as the functions reach them: their five merchant settings, and a JSON POST
 * to their server-to-server APIs (MoMo's create and query, VNPay's querydr).
 *
 * Settings: locally (MOTCUA_LOCAL=1) from the environment, where the runtime puts documented
 * defaults unless the developer sets their own; in the cloud from the Secrets Manager secret named
 * by GATEWAY_SECRET_ARN (a JSON object with the same five keys), read once per container and again
 * after a few minutes so that a rotated secret is picked up. Never logged, never in code.
 */

import { networkInterfaces } from 'node:os';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  type GatewayEndpoints,
  type GatewayMode,
  type MerchantSettings,
  parseGatewayEndpoints,
  parseMerchantSettings,
} from '#shared/payments/merchants.ts';
import { ENV } from '#wiring/definitions.ts';

/** How long a container trusts the secret it read. */
const SECRET_TTL_MS = 5 * 60_000;
/** A gateway that has not answered by now is treated as unreachable (the functions run 10 s). */
const GATEWAY_TIMEOUT_MS = 6_000;

let client: SecretsManagerClient | undefined;
let cached: { readonly at: number; readonly value: Promise<MerchantSettings> } | undefined;

async function fromSecret(arn: string): Promise<MerchantSettings> {
  client ??= new SecretsManagerClient({});
  const r = await client.send(new GetSecretValueCommand({ SecretId: arn }));
  let values: unknown;
  try {
    values = JSON.parse(r.SecretString ?? '');
  } catch {
    throw new Error('the gateway settings secret is not a JSON object');
  }
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    throw new Error('the gateway settings secret is not a JSON object');
  }
  return parseMerchantSettings(values as Record<string, unknown>);
}

/**
 * The merchants (the five settings for wards without their own, and WARD_MERCHANTS); throws
 * (naming what is missing, never a value) when incomplete.
 */
export function gatewaySettings(): Promise<MerchantSettings> {
  const arn = process.env[ENV.gatewaySecretArn];
  if (process.env[ENV.local] === '1' || !arn) {
    try {
      return Promise.resolve(parseMerchantSettings(process.env));
    } catch (e) {
      return Promise.reject(e);
    }
  }
  if (!cached || Date.now() - cached.at > SECRET_TTL_MS) {
    const value = fromSecret(arn);
    const entry = { at: Date.now(), value };
    cached = entry;
    // A failed read is not kept: the next call tries again.
    value.catch(() => {
      if (cached === entry) cached = undefined;
    });
  }
  return cached.value;
}

/** POSTs JSON to a gateway and reads its JSON answer; throws when it is unreachable or too slow. */
export async function gatewayHttp(url: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', accept: 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(GATEWAY_TIMEOUT_MS),
  });
  const text = await r.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: r.status, body: parsed };
}

let endpoints: { mode: GatewayMode; endpoints: GatewayEndpoints } | undefined;

/**
 * The gateways' endpoints from PAYMENT_GATEWAY_MODE and the URL overrides, read once. A production
 * deployment pointed at a sandbox host throws here, at the first payment call of a container
 * (and `cdk synth` already refused it).
 */
export function gatewayEndpoints(): { mode: GatewayMode; endpoints: GatewayEndpoints } {
  endpoints ??= parseGatewayEndpoints(process.env);
  return endpoints;
}

/**
 * This server's address for VNPay's querydr (vnp_IpAddr): GATEWAY_SERVER_IP (the outbound address
 * registered with VNPay, e.g. the NAT gateway's) or the first non-internal IPv4 of this host.
 */
export function serverIp(): string {
  const set = process.env.GATEWAY_SERVER_IP?.trim();
  if (set) return set;
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}
