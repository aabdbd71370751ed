/** The notifier's message choice: who is told what, on which channel, once, and what is retried. */
import { describe, expect, it } from 'vitest';
import type { Dossier } from '../../shared/dossier.ts';
import { type AnyDomainEvent, newEvent } from '../../shared/events.ts';
import type { ChannelSender, DeliveryResult, OutgoingMessage } from '../../shared/notification-delivery.ts';
import type { ChannelName, Notification } from '../../shared/notifications.ts';
import { type NotificationInbox, notifyDossierEvent } from '../../shared/use-cases/notify.ts';
import { fixedClock } from './memory-ports.ts';

class MemoryInbox implements NotificationInbox {
  readonly sent: Notification[] = [];
  readonly status = new Map<string, string>();
  private key = (n: Notification) => `${n.eventId}#${n.channel}#${n.audience}`;
  async send(n: Notification): Promise<boolean> {
    if (this.sent.some((s) => this.key(s) === this.key(n))) return false;
    this.sent.push(n);
    return true;
  }
  async deliveryStatus(n: Notification): Promise<string | undefined> {
    return this.status.get(this.key(n));
  }
  async recordDelivery(n: Notification, r: DeliveryResult | { status: 'unsent'; error: string }): Promise<void> {
    this.status.set(this.key(n), r.status);
  }
}

const sender = (channel: ChannelName, answer: DeliveryResult): ChannelSender & { got: OutgoingMessage[] } => {
  const got: OutgoingMessage[] = [];
  return {
    channel,
    got,
    deliver: async (m) => {
      got.push(m);
      return answer;
    },
  };
};

const dossier = {
  id: 'd1',
  code: 'H56.27.01-20260609-0001',
  ward: 'bimson',
  procedureName: 'Đăng ký khai sinh',
  applicant: { fullName: 'Nguyễn Văn An', idNumber: '038123456789', phone: '0912345678', email: 'an@example.vn' },
} as unknown as Dossier;

const now = new Date('2026-06-09T02:00:00.000Z');
const subject = { ward: 'bimson', dossierId: 'd1' };
const change = (to: 3, reason?: string): AnyDomainEvent =>
  newEvent('DossierStatusChanged', now, subject, {
    code: dossier.code,
    procedureId: 'khai-sinh',
    channel: 'online',
    from: 1,
    to,
    version: 2,
    by: 'receiver-1',
    supplementCount: 0,
    ...(reason ? { reason } : {}),
  });
const clock = () => fixedClock(now.toISOString());

describe('Use case: notifyDossierEvent', () => {
  it('warns the ward’s officials by e-mail of a dossier due soon, and nothing to the citizen', async () => {
    // Prepare
    const inbox = new MemoryInbox();
    const event = newEvent('DossierDueSoon', now, subject, {
      code: dossier.code,
      dueAt: '2026-06-10T10:00:00.000Z',
      status: 4,
    });
    // Act
    const out = await notifyDossierEvent(
      { inbox, channels: { senders: new Map(), zaloTemplates: {} }, clock: clock() },
      dossier,
      event,
    );
    // Assess
    expect(out).toEqual({ deliveries: [] });
    expect(inbox.sent).toHaveLength(1);
    expect(inbox.sent[0]).toMatchObject({ audience: 'staff', channel: 'email', to: 'can-bo@bimson', kind: 'due-soon' });
    expect(inbox.sent[0]?.at).toBe(now.toISOString());
  });

  it('sends the citizen’s message by SMS (E.164) and e-mail, and records an unconfigured channel as unsent', async () => {
    const inbox = new MemoryInbox();
    const sms = sender('sms', { status: 'sent', providerMessageId: 'm1' });
    const out = await notifyDossierEvent(
      { inbox, channels: { senders: new Map([['sms', sms]]), zaloTemplates: {} }, clock: clock() },
      dossier,
      change(3, 'Thiếu tờ khai'),
    );
    expect(sms.got.map((m) => m.to)).toEqual(['+84912345678']);
    expect(sms.got[0]?.text).toMatch(/từ chối tiếp nhận.*Thiếu tờ khai/);
    expect(out.deliveries).toEqual([{ kind: 'refused', channel: 'sms', status: 'sent' }]);
    expect(out.retry).toBeUndefined();
    expect(inbox.sent.map((n) => n.channel).sort()).toEqual(['email', 'sms']);
    expect([...inbox.status.values()].sort()).toEqual(['sent', 'unsent']);
  });

  it('uses Zalo instead of SMS where a template is set up for the message’s kind', async () => {
    const inbox = new MemoryInbox();
    const sms = sender('sms', { status: 'sent' });
    const zalo = sender('zalo', { status: 'sent' });
    await notifyDossierEvent(
      {
        inbox,
        channels: {
          senders: new Map<ChannelName, ChannelSender>([
            ['sms', sms],
            ['zalo', zalo],
          ]),
          zaloTemplates: { refused: 'tpl-1' },
        },
        clock: clock(),
      },
      dossier,
      change(3, 'Thiếu tờ khai'),
    );
    expect(zalo.got).toHaveLength(1);
    expect(sms.got).toHaveLength(0);
  });

  it('asks for a retry after a retryable failure, and on redelivery sends again only that channel', async () => {
    const inbox = new MemoryInbox();
    const failing = sender('sms', { status: 'failed', retryable: true, error: 'Throttled' });
    const email = sender('email', { status: 'sent' });
    const deps = {
      inbox,
      channels: {
        senders: new Map<ChannelName, ChannelSender>([
          ['sms', failing],
          ['email', email],
        ]),
        zaloTemplates: {},
      },
      clock: clock(),
    };
    const event = change(3, 'Thiếu tờ khai');
    const first = await notifyDossierEvent(deps, dossier, event);
    expect(first.retry).toBe('sms: Throttled');
    const again = await notifyDossierEvent(deps, dossier, event);
    expect(failing.got).toHaveLength(2);
    expect(email.got).toHaveLength(1);
    expect(again.deliveries).toEqual([{ kind: 'refused', channel: 'sms', status: 'failed' }]);
  });

  it('says nothing to anyone for an event that tells the citizen nothing', async () => {
    const inbox = new MemoryInbox();
    const out = await notifyDossierEvent(
      { inbox, channels: { senders: new Map(), zaloTemplates: {} }, clock: clock() },
      dossier,
      newEvent('FeedbackReceived', now, subject, { score: 5, complaint: false }),
    );
    expect(out).toEqual({ deliveries: [] });
    expect(inbox.sent).toEqual([]);
  });
});
