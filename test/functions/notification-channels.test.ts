/**
 * The cloud senders on the wire: the AWS SDK's own serializers (loaded when a channel first sends)
 * against a stand-in endpoint set through the SDK's documented service-specific endpoint variables
 * (AWS_ENDPOINT_URL_<SERVICE>). What leaves for End User Messaging SMS and SES v2, what comes back
 * from their answers, and which refusals are worth another try.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { channelsFromEnv } from '#functions/adapters/notification-channels.ts';
import type { OutgoingMessage } from '#shared/notification-delivery.ts';
import { ENV } from '#wiring/definitions.ts';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
}
let server: Server;
let seen: Seen[] = [];
let answer: { status: number; body: object } = { status: 200, body: {} };

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>,
      });
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  process.env.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2 = url;
  process.env.AWS_ENDPOINT_URL_SESV2 = url;
  process.env.AWS_REGION = 'ap-southeast-1';
  process.env.AWS_ACCESS_KEY_ID = 'test';
  process.env.AWS_SECRET_ACCESS_KEY = 'test';
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  seen = [];
  answer = { status: 200, body: {} };
});

const message = (to: string): OutgoingMessage => ({
  channel: to.includes('@') ? 'email' : 'sms',
  kind: 'accepted',
  to,
  code: 'H56.27.01-20260609-0001',
  text: 'Hồ sơ H56.27.01-20260609-0001 đã được tiếp nhận.',
  trackingId: 'tr-1',
});

const channels = () =>
  channelsFromEnv({
    [ENV.smsOriginationIdentity]: 'MOTCUA',
    [ENV.emailFromAddress]: 'motcua@example.vn',
  } as NodeJS.ProcessEnv);

describe('SMS through End User Messaging SMS', () => {
  it('sends SendTextMessage with the number, the text and the origination identity', async () => {
    answer = { status: 200, body: { MessageId: 'sms-1' } };
    const r = await channels().senders.get('sms')?.deliver(message('+84912345678'));
    expect(r).toEqual({ status: 'sent', providerMessageId: 'sms-1' });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.headers['x-amz-target']).toBe('PinpointSMSVoiceV2.SendTextMessage');
    expect(seen[0]?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 .*\/sms-voice\/aws4_request/);
    expect(seen[0]?.body).toMatchObject({
      DestinationPhoneNumber: '+84912345678',
      OriginationIdentity: 'MOTCUA',
      MessageBody: 'Hồ sơ H56.27.01-20260609-0001 đã được tiếp nhận.',
      MessageType: 'TRANSACTIONAL',
    });
  });

  it('gives up on a refused number and retries a throttled one', async () => {
    answer = { status: 400, body: { __type: 'ValidationException', message: 'bad number' } };
    const refused = await channels().senders.get('sms')?.deliver(message('+84000'));
    expect(refused).toEqual({ status: 'failed', retryable: false, error: 'ValidationException' });
    answer = { status: 400, body: { __type: 'ThrottlingException', message: 'slow down' } };
    const throttled = await channels().senders.get('sms')?.deliver(message('+84912345678'));
    expect(throttled).toMatchObject({ status: 'failed', retryable: true, error: 'ThrottlingException' });
  });
});

describe('E-mail through SES v2', () => {
  it('sends SendEmail with a UTF-8 subject naming the dossier and the text as its body', async () => {
    answer = { status: 200, body: { MessageId: 'mail-1' } };
    const r = await channels().senders.get('email')?.deliver(message('dan@example.vn'));
    expect(r).toEqual({ status: 'sent', providerMessageId: 'mail-1' });
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/v2/email/outbound-emails' });
    expect(seen[0]?.body).toEqual({
      FromEmailAddress: 'motcua@example.vn',
      Destination: { ToAddresses: ['dan@example.vn'] },
      Content: {
        Simple: {
          Subject: { Data: '[Một cửa] Hồ sơ H56.27.01-20260609-0001', Charset: 'UTF-8' },
          Body: { Text: { Data: 'Hồ sơ H56.27.01-20260609-0001 đã được tiếp nhận.', Charset: 'UTF-8' } },
        },
      },
    });
  });

  it('configures only the channels whose settings are given', () => {
    const only = channelsFromEnv({ [ENV.emailFromAddress]: 'motcua@example.vn' } as NodeJS.ProcessEnv);
    expect([...only.senders.keys()]).toEqual(['email']);
  });
});
