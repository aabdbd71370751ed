/** The payment functions refuse to start in production when an endpoint is a sandbox host. */
import { afterEach, describe, expect, it, vi } from 'vitest';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  vi.resetModules();
});

describe('Module: functions/adapters/dynamo-payments.ts', () => {
  it('fails at load in production with a sandbox endpoint, and loads with production ones', async () => {
    delete process.env.MOTCUA_LOCAL;
    process.env.PAYMENT_GATEWAY_MODE = 'production';
    process.env.MOMO_CREATE_URL = 'https://test-payment.momo.vn/v2/gateway/api/create';
    await expect(import('#functions/adapters/dynamo-payments.ts')).rejects.toThrow(/sandbox host/);
    vi.resetModules();
    delete process.env.MOMO_CREATE_URL;
    await expect(import('#functions/adapters/dynamo-payments.ts')).resolves.toBeDefined();
  });
});
