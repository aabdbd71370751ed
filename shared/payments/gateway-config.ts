/**
 * The payment gateways' merchant settings (DESIGN.md §7): five values, the same names as
 * environment variables locally and as the keys of one Secrets Manager secret in the cloud.
 * Pure: this module only parses; where the values come from is the adapter's business.
 */

import { GatewayConfigError } from '../errors.ts';
import type { MomoConfig } from './momo.ts';

/** The names of the five settings: environment variables locally, keys of one secret in the cloud (infra re-exports them). */
export const GATEWAY_SETTING_NAMES = [
  'VNPAY_TMN_CODE',
  'VNPAY_HASH_SECRET',
  'MOMO_PARTNER_CODE',
  'MOMO_ACCESS_KEY',
  'MOMO_SECRET_KEY',
] as const;

export type GatewaySettingName = (typeof GATEWAY_SETTING_NAMES)[number];

/** Merchant settings of both gateways. */
export interface GatewayConfig {
  /** VNPay terminal code (vnp_TmnCode) and hash secret (vnp_HashSecret). */
  readonly vnpay: { readonly tmnCode: string; readonly hashSecret: string };
  readonly momo: MomoConfig;
}

/** The placeholder the CDK app writes into the secret until an operator replaces it. */
export const SETTING_PLACEHOLDER = 'REPLACE_ME';

/**
 * Reads the five settings from a flat record (the environment, or the secret's JSON object).
 * Every value must be a non-empty string other than {@link SETTING_PLACEHOLDER}; surrounding
 * whitespace is trimmed (a pasted secret often ends in a newline). Throws {@link GatewayConfigError}.
 */
export function parseGatewayConfig(source: Readonly<Record<string, unknown>>): GatewayConfig {
  const values = {} as Record<GatewaySettingName, string>;
  const missing: GatewaySettingName[] = [];
  for (const name of GATEWAY_SETTING_NAMES) {
    const raw = source[name];
    const v = typeof raw === 'string' ? raw.trim() : '';
    if (v === '' || v === SETTING_PLACEHOLDER) missing.push(name);
    else values[name] = v;
  }
  if (missing.length) throw new GatewayConfigError(missing);
  return {
    vnpay: { tmnCode: values.VNPAY_TMN_CODE, hashSecret: values.VNPAY_HASH_SECRET },
    momo: {
      partnerCode: values.MOMO_PARTNER_CODE,
      accessKey: values.MOMO_ACCESS_KEY,
      secretKey: values.MOMO_SECRET_KEY,
    },
  };
}
