/**
 * The senders behind shared/notification-delivery.ts's port: SMS through AWS End User Messaging
 * SMS (SendTextMessage), e-mail through SES v2 (SendEmail), Zalo ZNS templates over Zalo's HTTP
 * API. Each is configured by its environment variable (infra sets it from context); one that is
 * not configured is not used. Locally every channel is a preview: nothing leaves the machine and
 * the inbox (GET /local/notifications) shows what the provider would have been sent.
 * Nothing here logs a phone number, an address or a name.
 */
import { PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { ChannelSender, DeliveryResult, OutgoingMessage } from '#shared/notification-delivery.ts';
import type { ChannelName } from '#shared/notifications.ts';
import { ENV } from '#wiring/definitions.ts';

/** Zalo's ZNS endpoint (Zalo Notification Service, template messages to a phone number). */
const ZNS_URL = 'https://business.openapi.zalo.me/message/template';

const subject = (m: OutgoingMessage) => `[Một cửa] Hồ sơ ${m.code}`;

/** Throttling and server-side errors are worth another try; a refused number or address is not. */
const retryable = (e: unknown): boolean => {
  const name = (e as { name?: string }).name ?? '';
  const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 500;
  return /Throttl|TooManyRequests|ServiceUnavailable|Internal/i.test(name) || status >= 500 || status === 429;
};
const failure = (e: unknown): DeliveryResult => ({
  status: 'failed',
  retryable: retryable(e),
  error: (e as { name?: string }).name ?? 'Error',
});

class SmsSender implements ChannelSender {
  readonly channel = 'sms' as const;
  private readonly client = new PinpointSMSVoiceV2Client({});
  constructor(private readonly originationIdentity: string) {}
  async deliver(m: OutgoingMessage): Promise<DeliveryResult> {
    try {
      const r = await this.client.send(
        new SendTextMessageCommand({
          DestinationPhoneNumber: m.to,
          OriginationIdentity: this.originationIdentity,
          MessageBody: m.text,
          MessageType: 'TRANSACTIONAL',
          Context: { trackingId: m.trackingId },
        }),
      );
      return { status: 'sent', providerMessageId: r.MessageId };
    } catch (e) {
      return failure(e);
    }
  }
}

class EmailSender implements ChannelSender {
  readonly channel = 'email' as const;
  private readonly client = new SESv2Client({});
  constructor(private readonly from: string) {}
  async deliver(m: OutgoingMessage): Promise<DeliveryResult> {
    try {
      const r = await this.client.send(
        new SendEmailCommand({
          FromEmailAddress: this.from,
          Destination: { ToAddresses: [m.to] },
          Content: {
            Simple: {
              Subject: { Data: subject(m), Charset: 'UTF-8' },
              Body: { Text: { Data: m.text, Charset: 'UTF-8' } },
            },
          },
        }),
      );
      return { status: 'sent', providerMessageId: r.MessageId };
    } catch (e) {
      return failure(e);
    }
  }
}

/** The ZNS request body: Zalo wants the number without `+`; the template has `code` and `content`. */
const znsBody = (m: OutgoingMessage, templateId: string) => ({
  phone: m.to.replace(/^\+/, ''),
  template_id: templateId,
  template_data: { ma_ho_so: m.code, noi_dung: m.text },
  tracking_id: m.trackingId,
});

class ZaloSender implements ChannelSender {
  readonly channel = 'zalo' as const;
  private token: string | undefined;
  constructor(
    private readonly tokenSecretArn: string,
    private readonly templates: Readonly<Record<string, string>>,
  ) {}
  private async accessToken(): Promise<string> {
    this.token ??= (
      await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: this.tokenSecretArn }))
    ).SecretString;
    if (!this.token) throw new Error('the Zalo access token secret is empty');
    return this.token;
  }
  async deliver(m: OutgoingMessage): Promise<DeliveryResult> {
    const templateId = this.templates[m.kind];
    if (!templateId) return { status: 'failed', retryable: false, error: 'NoTemplate' };
    try {
      const r = await fetch(ZNS_URL, {
        method: 'POST',
        headers: { 'content-type': 'application/json', access_token: await this.accessToken() },
        body: JSON.stringify(znsBody(m, templateId)),
        signal: AbortSignal.timeout(10_000),
      });
      if (r.status >= 500 || r.status === 429) return { status: 'failed', retryable: true, error: `HTTP ${r.status}` };
      const body = (await r.json()) as { error?: number; message?: string; data?: { msg_id?: string } };
      if (body.error === 0) return { status: 'sent', providerMessageId: body.data?.msg_id };
      // An expired access token (Zalo's error -124): read the secret again next time.
      if (body.error === -124) this.token = undefined;
      return { status: 'failed', retryable: body.error === -124, error: `Zalo ${body.error}` };
    } catch (e) {
      return { status: 'failed', retryable: true, error: (e as Error).name };
    }
  }
}

/** Locally: what the provider would have been sent, recorded with the notification. */
class PreviewSender implements ChannelSender {
  constructor(
    readonly channel: ChannelName,
    private readonly templates: Readonly<Record<string, string>> = {},
  ) {}
  async deliver(m: OutgoingMessage): Promise<DeliveryResult> {
    const preview =
      this.channel === 'sms'
        ? { api: 'SendTextMessage', DestinationPhoneNumber: m.to, MessageBody: m.text, MessageType: 'TRANSACTIONAL' }
        : this.channel === 'email'
          ? { api: 'SendEmail', ToAddresses: [m.to], Subject: subject(m), Body: m.text }
          : { api: ZNS_URL, ...znsBody(m, this.templates[m.kind] ?? '(template id of the kind)') };
    return { status: 'sent', providerMessageId: `local-${m.trackingId}`, preview };
  }
}

/** The configured senders, by channel, and the Zalo templates. */
interface Channels {
  readonly senders: ReadonlyMap<ChannelName, ChannelSender>;
  readonly zaloTemplates: Readonly<Record<string, string>>;
}

export function channelsFromEnv(env: NodeJS.ProcessEnv = process.env): Channels {
  const zaloTemplates = JSON.parse(env[ENV.zaloTemplates] || '{}') as Record<string, string>;
  const senders = new Map<ChannelName, ChannelSender>();
  if (env[ENV.local]) {
    // Locally: every channel previews; Zalo for the kinds of ZALO_TEMPLATES, or none.
    for (const c of ['sms', 'email', 'zalo'] as const) senders.set(c, new PreviewSender(c, zaloTemplates));
    return { senders, zaloTemplates };
  }
  const sms = env[ENV.smsOriginationIdentity];
  const from = env[ENV.emailFromAddress];
  const zalo = env[ENV.zaloTokenSecretArn];
  if (sms) senders.set('sms', new SmsSender(sms));
  if (from) senders.set('email', new EmailSender(from));
  if (zalo) senders.set('zalo', new ZaloSender(zalo, zaloTemplates));
  return { senders, zaloTemplates };
}
