/** The API as the bench drives it: tokens, the catalog, submissions, transitions, one dossier's life. */
import { createHash } from 'node:crypto';
import type { HttpClient, Reply } from './http-client.ts';

export const WARD = 'bimson';

export interface Tokens {
  readonly receiver: string;
  readonly specialist: string;
  readonly leader: string;
  citizen(sub: string): Promise<string>;
}

export interface Procedures {
  readonly all: any[];
  /** Online, no fee: the shortest lifecycle (1, 2, 4, 9, 10). */
  readonly onlineFree: any;
  /** Online, with a fee and at least one document: the full life (fee, payment, scan). */
  readonly onlineFee: any;
}

export class Api {
  private readonly citizens = new Map<string, string>();

  constructor(readonly http: HttpClient) {}

  async token(role: string, sub: string, ward?: string): Promise<string> {
    const r = await this.http.ok('POST', '/local/token', { json: { role, sub, ...(ward ? { ward } : {}) } });
    return r.json().access_token as string;
  }

  async tokens(): Promise<Tokens> {
    const [receiver, specialist, leader] = await Promise.all([
      this.token('receiver', 'bench-receiver', WARD),
      this.token('specialist', 'bench-specialist', WARD),
      this.token('leader', 'bench-leader', WARD),
    ]);
    return {
      receiver,
      specialist,
      leader,
      citizen: async (sub) => {
        let t = this.citizens.get(sub);
        if (!t) {
          t = await this.token('citizen', sub);
          this.citizens.set(sub, t);
        }
        return t;
      },
    };
  }

  async procedures(): Promise<Procedures> {
    const all = (await this.http.ok('GET', `/v1/procedures?ward=${WARD}&limit=100`)).json().items as any[];
    const online = all.filter((p) => p.active !== false && (p.channels as string[]).some((c) => c !== 'counter'));
    const onlineFree = online.find((p) => p.fee === 0);
    const onlineFee = online.find((p) => p.fee > 0 && (p.documents?.length ?? 0) >= 1) ?? online.find((p) => p.fee > 0);
    if (!onlineFree || !onlineFee) throw new Error(`ward ${WARD}: no online procedure with and without a fee`);
    return { all, onlineFree, onlineFee };
  }

  submitBody(procedureId: string, n: number) {
    return {
      ward: WARD,
      procedureId,
      channel: 'online',
      applicant: {
        fullName: `Nguyễn Thị Hồng Nhung ${n}`,
        idNumber: `038${String(100_000_000 + (n % 900_000_000)).slice(-9)}`,
        phone: `09${String(10_000_000 + (n % 90_000_000)).slice(-8)}`,
      },
    };
  }

  submit(citizen: string, procedureId: string, n: number): Promise<Reply> {
    return this.http.call('POST', '/v1/dossiers', { token: citizen, json: this.submitBody(procedureId, n) });
  }

  transition(token: string, d: { id: string; version: number }, to: number, extra: object = {}): Promise<Reply> {
    return this.http.call('POST', `/v1/dossiers/${d.id}/transitions`, {
      token,
      json: { to, expectedVersion: d.version, ...extra },
    });
  }
}

export const expectStatus = (r: Reply, what: string, ...ok: number[]): any => {
  if (!ok.includes(r.status)) throw new Error(`${what}: HTTP ${r.status} ${r.text().slice(0, 300)}`);
  return r.body.length ? r.json() : undefined;
};

/** A scanned page as a citizen would upload it: a valid PDF header, ~180 KB. */
function scanPdf(bytes = 180_000): Buffer {
  const head = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n');
  const tail = Buffer.from('\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');
  const pad = Buffer.alloc(Math.max(0, bytes - head.length - tail.length), 0x20);
  return Buffer.concat([head, pad, tail]);
}

const b64sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('base64');

export interface LifeStep {
  readonly step: string;
  readonly done: boolean;
  readonly note?: string;
}

interface LifeHooks {
  /** Called after each step (e.g. to wait until the asynchronous work it caused is over). */
  after(step: string): Promise<void>;
  /** Requests the client makes to AWS directly (the presigned PUT of a scan). */
  direct(service: 's3', operation: 'PutObject' | 'GetObject'): void;
}

/**
 * One dossier's whole life through the API, as the portal, the counter and the gateway would
 * drive it: submitted online with one scanned document, opened and accepted by the receiver,
 * processed, a fee asked and paid online (VNPay sandbox -> signed IPN), done, returned, rated.
 * Steps whose routes do not exist yet are skipped and reported.
 */
export async function dossierLife(api: Api, t: Tokens, procedure: any, n: number, hooks: LifeHooks) {
  const steps: LifeStep[] = [];
  const citizen = await t.citizen(`bench-life-${n}`);
  const step = async (name: string, run: () => Promise<string | undefined>) => {
    const note = await run();
    steps.push({ step: name, done: note === undefined, ...(note ? { note } : {}) });
    await hooks.after(name);
  };
  let d: any;
  await step('submit online (citizen)', async () => {
    d = expectStatus(await api.submit(citizen, procedure.id, n), 'submit', 201);
    return undefined;
  });
  const component = d.components?.[0]?.id as string | undefined;
  await step('upload one scan: upload-url + presigned PUT (citizen) -> scan checker', async () => {
    if (!component) return 'the procedure has no document component';
    const pdf = scanPdf();
    const r = await api.http.call('POST', `/v1/dossiers/${d.id}/documents/${component}/upload-url`, {
      token: citizen,
      json: {
        contentType: 'application/pdf',
        contentLength: pdf.length,
        sha256: b64sha256(pdf),
        fileName: 'to-khai.pdf',
      },
    });
    if (r.status === 404 && r.text().includes('ROUTE_NOT_FOUND')) return 'route not there yet';
    const ticket = expectStatus(r, 'upload-url', 201);
    const put = await fetch(ticket.url, { method: ticket.method ?? 'PUT', headers: ticket.headers, body: pdf });
    hooks.direct('s3', 'PutObject');
    if (!put.ok) return `presigned PUT: HTTP ${put.status}`;
    await put.arrayBuffer();
    return undefined;
  });
  await step('open the dossier (receiver GET)', async () => {
    d = expectStatus(await api.http.call('GET', `/v1/dossiers/${d.id}`, { token: t.receiver }), 'get', 200);
    return undefined;
  });
  await step('accept 1->2 (receiver)', async () => {
    d = expectStatus(await api.transition(t.receiver, d, 2), '1->2', 200);
    return undefined;
  });
  await step('process 2->4 (receiver)', async () => {
    d = expectStatus(await api.transition(t.receiver, d, 4), '2->4', 200);
    return undefined;
  });
  await step('fee due 4->6 (specialist)', async () => {
    d = expectStatus(await api.transition(t.specialist, d, 6, { fee: procedure.fee }), '4->6', 200);
    return undefined;
  });
  let paid = false;
  let orderId: string | undefined;
  await step('start an online payment (citizen, VNPay)', async () => {
    const r = await api.http.call('POST', `/v1/dossiers/${d.id}/payments`, {
      token: citizen,
      json: { gateway: 'vnpay' },
    });
    if (r.status === 404 && r.text().includes('ROUTE_NOT_FOUND')) return 'route not there yet';
    orderId = expectStatus(r, 'payments', 201, 200).orderId as string;
    return undefined;
  });
  await step('pay in the sandbox gateway -> signed IPN -> 6->4', async () => {
    if (!orderId) return 'no payment started';
    const r = await api.http.call('POST', '/local/sandbox/vnpay/pay', { form: { orderId, outcome: 'success' } });
    if (r.status === 404 && r.text().includes('ROUTE_NOT_FOUND')) return 'sandbox route not there yet';
    if (r.status !== 200) return `sandbox: HTTP ${r.status}`;
    return undefined;
  });
  await step('see the dossier paid (citizen GET)', async () => {
    d = expectStatus(await api.http.call('GET', `/v1/dossiers/${d.id}`, { token: citizen }), 'get', 200);
    paid = d.status === 4;
    return undefined;
  });
  if (!paid) {
    await step('paid in cash instead 6->4 (receiver)', async () => {
      d = expectStatus(
        await api.transition(t.receiver, d, 4, { reason: 'Nộp phí bằng tiền mặt tại quầy' }),
        '6->4 cash',
        200,
      );
      return undefined;
    });
  }
  await step('done 4->9 (leader)', async () => {
    d = expectStatus(await api.transition(t.leader, d, 9), '4->9', 200);
    return undefined;
  });
  await step('returned 9->10 (receiver)', async () => {
    d = expectStatus(await api.transition(t.receiver, d, 10), '9->10', 200);
    return undefined;
  });
  await step('feedback (citizen)', async () => {
    expectStatus(
      await api.http.call('POST', `/v1/dossiers/${d.id}/feedback`, { token: citizen, json: { score: 5 } }),
      'feedback',
      200,
      201,
    );
    return undefined;
  });
  return { dossier: d, steps, paidOnline: paid };
}
