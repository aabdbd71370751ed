/**
 * The payment gateways as the functions reach them: their five merchant settings, and a JSON POST
 * to their server-to-server APIs (MoMo's create and query, VNPay's querydr).
 *
 * Settings: locally (MOTCUA_LOCAL=1) from the environment, where the runtime puts documented
 * defaults unless the developer sets their own; in the cloud from the Secrets Manager secret named
 * by GATEWAY_SECRET_ARN (a JSON object with the same five keys), read once per container and again
 * after a few minutes so that a rotated secret is picked up. Never logged, never in code.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ENV } from '#infra/definitions.ts';
import { type GatewayConfig, parseGatewayConfig } from '#shared/payments/gateway-config.ts';

/** How long a container trusts the secret it read. */
const SECRET_TTL_MS = 5 * 60_000;
/** A gateway that has not answered by now is treated as unreachable (the functions run 10 s). */
const GATEWAY_TIMEOUT_MS = 6_000;

let client: SecretsManagerClient | undefined;
let cached: { readonly at: number; readonly value: Promise<GatewayConfig> } | undefined;

async function fromSecret(arn: string): Promise<GatewayConfig> {
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
  return parseGatewayConfig(values as Record<string, unknown>);
}

/** The five gateway settings; throws (naming what is missing, never a value) when incomplete. */
export function gatewaySettings(): Promise<GatewayConfig> {
  const arn = process.env[ENV.gatewaySecretArn];
  if (process.env[ENV.local] === '1' || !arn) {
    try {
      return Promise.resolve(parseGatewayConfig(process.env));
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
