import { afterEach, describe, expect, it, vi } from 'vitest';
import { createIssuer } from '#local/jwt.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('Local token issuer: verification', () => {
  it('keeps refusing a token once it expires, even after it was verified (and remembered) before', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-06-09T01:00:00Z'));
    const issuer = await createIssuer('urn:motcua:local', undefined);
    const token = await issuer.issue({ role: 'receiver', sub: 'r-1', ward: 'bimson' });
    expect((await issuer.verify(token))?.sub).toBe('r-1');
    expect((await issuer.verify(token))?.sub).toBe('r-1');
    vi.setSystemTime(new Date('2026-06-09T09:00:01Z'));
    expect(await issuer.verify(token)).toBeUndefined();
    expect(await issuer.verify(token)).toBeUndefined();
  });

  it('never accepts a changed token because a similar one was accepted', async () => {
    const issuer = await createIssuer('urn:motcua:local', undefined);
    const token = await issuer.issue({ role: 'citizen', sub: 'c-1' });
    expect(await issuer.verify(token)).toBeDefined();
    const [h, p, sig] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url')}.${sig}`;
    expect(await issuer.verify(forged)).toBeUndefined();
    expect(await issuer.verify(`${token.slice(0, -2)}AA`)).toBeUndefined();
  });
});
