/**
 * The notifier's channels in the template: each configured channel gets exactly its grant (one
 * origination identity, one SES identity, one secret) and its variable; none is granted unless
 * configured; malformed settings fail synthesis.
 */
import { describe, expect, it } from 'vitest';
import { ENV } from '#wiring/definitions.ts';
import { grantedActions } from './code-access.ts';
import { logicalId, NO_BUNDLING, prop, resourcesOf, synth } from './helpers.ts';

const SMS = 'arn:aws:sms-voice:ap-southeast-1:123456789012:sender-id/MOTCUA/VN';
const ZALO = 'arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:motcua/zalo-token-AbCdEf';
const configured = {
  ...NO_BUNDLING,
  'motcua:smsOriginationIdentity': SMS,
  'motcua:emailFromAddress': 'khong-tra-loi@bimson.thanhhoa.gov.vn',
  'motcua:zaloTokenSecretArn': ZALO,
  'motcua:zaloTemplates': '{"accepted":"312345","done":"312346"}',
};

const notifierEnv = (built: ReturnType<typeof synth>) => {
  const fn = built.api.functions.get('notifier')?.function;
  if (!fn) throw new Error('no notifier');
  const r = resourcesOf(built.apiTemplate, 'AWS::Lambda::Function')[logicalId(fn)] ?? { Type: '' };
  return prop<{ Variables: Record<string, unknown> }>(r, 'Environment').Variables;
};

describe('Notification channels', () => {
  // Synthesized once, outside the tests' time limit (the CPU is shared).
  const plain = synth();
  const withChannels = synth({ context: configured });

  it('grants and configures nothing when no channel is set (messages are recorded only)', () => {
    const built = plain;
    const granted = [...grantedActions(built, 'notifier')];
    expect(granted.filter((a) => /^(ses|sms-voice|secretsmanager):/.test(a))).toEqual([]);
    const env = notifierEnv(built);
    for (const k of [ENV.smsOriginationIdentity, ENV.emailFromAddress, ENV.zaloTokenSecretArn])
      expect(env[k]).toBeUndefined();
  });

  it('grants each configured channel exactly its resource and sets its variable', () => {
    const built = withChannels;
    const env = notifierEnv(built);
    expect(env[ENV.smsOriginationIdentity]).toBe(SMS);
    expect(env[ENV.emailFromAddress]).toBe('khong-tra-loi@bimson.thanhhoa.gov.vn');
    expect(env[ENV.zaloTokenSecretArn]).toBe(ZALO);
    expect(JSON.parse(String(env[ENV.zaloTemplates]))).toEqual({ accepted: '312345', done: '312346' });
    const policies = JSON.stringify(built.apiTemplate.findResources('AWS::IAM::Policy'));
    expect(policies).toContain(`"Action":"sms-voice:SendTextMessage","Effect":"Allow","Resource":"${SMS}"`);
    expect(policies).toContain(`"Action":"secretsmanager:GetSecretValue","Effect":"Allow","Resource":"${ZALO}"`);
    expect(policies).toMatch(/"Action":"ses:SendEmail".*identity\/bimson\.thanhhoa\.gov\.vn/);
    // No other function gets them.
    for (const [name] of built.api.functions) {
      if (name === 'notifier') continue;
      const g = [...grantedActions(built, name)];
      expect(
        g.some((a) => a === 'ses:SendEmail' || a === 'sms-voice:SendTextMessage'),
        name,
      ).toBe(false);
    }
  });

  it.each([
    ['motcua:smsOriginationIdentity', '+84912345678'],
    ['motcua:emailFromAddress', 'not an address'],
    ['motcua:zaloTokenSecretArn', 'motcua/zalo-token'],
    ['motcua:zaloTemplates', '["312345"]'],
  ])('refuses a malformed %s at synth time', (key, value) => {
    expect(() => synth({ context: { ...configured, [key]: value } })).toThrow(new RegExp(key));
  });
});
