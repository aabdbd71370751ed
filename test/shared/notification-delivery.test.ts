import { describe, expect, it } from 'vitest';
import { planMessages, toE164Vn } from '#shared/notification-delivery.ts';

describe('toE164Vn', () => {
  it.each([
    ['0912345678', '+84912345678'],
    ['0912 345 678', '+84912345678'],
    ['84912345678', '+84912345678'],
    ['+84 912-345-678', '+84912345678'],
    ['0084912345678', '+84912345678'],
    ['(+84) 37.123.4567', '+84371234567'],
    ['0243 826 1234', '+842438261234'],
  ])('normalises %s to %s', (input, e164) => {
    expect(toE164Vn(input)).toBe(e164);
  });

  it.each(['', '12345', '091234567', '09123456789', '+1 415 555 0100', '0112345678', 'abc0912345678'])(
    'refuses %s',
    (input) => {
      expect(toE164Vn(input)).toBeUndefined();
    },
  );
});

describe('planMessages', () => {
  const notice = { kind: 'accepted', text: 'Hồ sơ X đã được tiếp nhận.', code: 'X', eventId: 'e1' };
  const all = { has: () => true, zaloTemplateFor: (k: string) => k === 'accepted' };

  it('sends by Zalo when a template exists for the kind, else by SMS, and by e-mail when given', () => {
    const m = planMessages({ phone: '0912345678', email: 'an@example.vn' }, notice, all);
    expect(m.map((x) => [x.channel, x.to])).toEqual([
      ['zalo', '+84912345678'],
      ['email', 'an@example.vn'],
    ]);
    const sms = planMessages({ phone: '0912345678' }, { ...notice, kind: 'done' }, all);
    expect(sms.map((x) => [x.channel, x.to, x.trackingId])).toEqual([['sms', '+84912345678', 'e1:sms']]);
  });

  it('uses only configured channels and skips contacts that are not usable', () => {
    const none = { has: () => false, zaloTemplateFor: () => true };
    expect(planMessages({ phone: '0912345678', email: 'an@example.vn' }, notice, none)).toEqual([]);
    expect(planMessages({ phone: 'không có', email: 'not-an-address' }, notice, all)).toEqual([]);
  });
});
