/**
 * The payment settings of a deployment: sandbox or production per stage (production refuses the
 * sandbox hosts at synth time), the callback URL apart from the public base URL, and a gateway
 * secret whose template value never changes (so an update never resets what an operator entered).
 */
import { describe, expect, it } from 'vitest';
import { GATEWAY_SECRET_INITIAL_VALUE } from '#infra/stateful-stack.ts';
import { GATEWAY_SETTINGS } from '#wiring/definitions.ts';
import { prop, resourcesOf, synth } from './helpers.ts';

const envOf = (apiTemplate: ReturnType<typeof synth>['apiTemplate'], fn: string) => {
  const all = resourcesOf(apiTemplate, 'AWS::Lambda::Function');
  const entry = Object.entries(all).find(([id]) => id.startsWith(fn));
  return (prop<{ Variables: Record<string, unknown> }>(entry?.[1] ?? { Type: '' }, 'Environment')?.Variables ??
    {}) as Record<string, unknown>;
};

describe('Deployment: payment gateway settings', () => {
  // Synthesized once each, at collection (no test timeout): a synth takes seconds on a busy machine.
  const prod = synth({ context: { 'motcua:publicBaseUrl': 'https://dichvucong.example.vn' } });
  const staging = synth({
    context: {
      'motcua:stage': 'staging',
      'motcua:callbackBaseUrl': 'https://api.motcua.example.vn/',
      'motcua:frontendOrigins': 'https://dichvucong.example.vn',
      'motcua:vnpayPayUrl': 'https://vnpayment.vn/paymentv2/vpcpay.html',
    },
  });

  it('points the prod stage (the default) at production, and another stage at the sandbox', () => {
    expect(envOf(prod.apiTemplate, 'PaymentCallbacks').PAYMENT_GATEWAY_MODE).toBe('production');
    expect(envOf(staging.apiTemplate, 'Payments').PAYMENT_GATEWAY_MODE).toBe('sandbox');
  });

  it('refuses at synth time a prod stage on the sandbox, and production pointed at a sandbox host or http', () => {
    expect(() => synth({ context: { 'motcua:paymentGatewayMode': 'sandbox' } })).toThrow(/real payments only/);
    expect(() =>
      synth({ context: { 'motcua:vnpayPayUrl': 'https://sandbox.vnpayment.vn/paymentv2/vpcpay.html' } }),
    ).toThrow(/sandbox host/);
    expect(() => synth({ context: { 'motcua:momoQueryUrl': 'http://payment.momo.vn/v2/gateway/api/query' } })).toThrow(
      /https/,
    );
    expect(envOf(staging.apiTemplate, 'Payments').VNPAY_PAY_URL).toBe('https://vnpayment.vn/paymentv2/vpcpay.html');
  });

  it('gives the callback URL its own setting, defaulting to the API endpoint, apart from the public base URL', () => {
    const plain = envOf(prod.apiTemplate, 'Payments');
    expect(plain.PUBLIC_BASE_URL).toBe('https://dichvucong.example.vn');
    expect(plain.CALLBACK_BASE_URL).toBeUndefined();
    expect(plain.API_ENDPOINT).toBeDefined();
    const set = envOf(staging.apiTemplate, 'Payments');
    expect(set.CALLBACK_BASE_URL).toBe('https://api.motcua.example.vn');
    expect(set.FRONTEND_ORIGINS).toBe('https://dichvucong.example.vn');
  });

  it("keeps the gateway secret's template value frozen: placeholders only, never regenerated", () => {
    const [secret] = Object.values(resourcesOf(prod.statefulTemplate, 'AWS::SecretsManager::Secret'));
    expect(prop(secret ?? { Type: '' }, 'SecretString')).toBe(GATEWAY_SECRET_INITIAL_VALUE);
    expect(prop(secret ?? { Type: '' }, 'GenerateSecretString')).toBeUndefined();
    expect(Object.keys(JSON.parse(GATEWAY_SECRET_INITIAL_VALUE)).sort()).toEqual([...GATEWAY_SETTINGS].sort());
  });
});
