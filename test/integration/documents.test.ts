import { createHash } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_NAMES } from '#wiring/definitions.ts';
import { applicant, eventually, type Stack, sharedStack } from '../helpers/stack.ts';

let s: Stack;
let citizen: string;
let citizenB: string;
let receiver: string;
let specialist: string;
let leader: string;
let otherWard: string;
let pid: string;
let s3: S3Client;
let sqs: SQSClient;
let ddb: DynamoDBDocumentClient;

const region = process.env.AWS_REGION ?? 'ap-southeast-1';
const bucket = LOCAL_NAMES.bucket;

beforeAll(async () => {
  s = await sharedStack();
  ({ citizen, citizenB, receiver, specialist, leader, otherWard } = await s.cast('citizen-a'));
  const list = await s.call('GET', '/v1/procedures?ward=bimson&limit=100');
  const online = list.json.items.filter(
    (p: any) => p.channels.some((c: string) => c !== 'counter') && p.documents.length >= 2,
  );
  pid = online[0].id;
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  s3 = new S3Client({
    endpoint: s.rt.endpoints.s3,
    forcePathStyle: true,
    region,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  sqs = new SQSClient({ endpoint: s.rt.endpoints.sqs, region });
  ddb = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: s.rt.endpoints.dynamodb, region }));
});
afterAll(async () => {
  s3?.destroy();
  sqs?.destroy();
  ddb?.destroy();
  await s?.stop();
});

// --- files built here --------------------------------------------------------------------------

const enc = (t: string) => new TextEncoder().encode(t);
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};
const pdf = (label = 'giay-to') =>
  enc(
    `%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n% ${label}\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`,
  );
const png = () =>
  concat(
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    // IHDR: length 13, type, 1x1, depth 8, RGB, then a CRC (not checked by the checker).
    new Uint8Array([0, 0, 0, 13]),
    enc('IHDR'),
    new Uint8Array([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xde]),
    new Uint8Array([0, 0, 0, 0]),
    enc('IEND'),
    new Uint8Array([0xae, 0x42, 0x60, 0x82]),
  );
const exe = () => concat(enc('MZ'), new Uint8Array(254).fill(0x90));
const b64sha = (b: Uint8Array) => createHash('sha256').update(b).digest('base64');
const hexsha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

// --- helpers -----------------------------------------------------------------------------------

const submit = async (n: number, who: 'citizen' | 'counter' = 'citizen', name?: string) => {
  const body = {
    ward: 'bimson',
    procedureId: pid,
    channel: who === 'citizen' ? 'online' : 'counter',
    applicant: { ...applicant(n), ...(name ? { fullName: name } : {}) },
  };
  const r = await s.call('POST', '/v1/dossiers', { token: who === 'citizen' ? citizen : receiver, body });
  expect(r.status).toBe(201);
  return r.json;
};

const getDossier = async (id: string, token = receiver) => (await s.call('GET', `/v1/dossiers/${id}`, { token })).json;

const uploadUrl = (token: string, id: string, component: string, body: object) =>
  s.call('POST', `/v1/dossiers/${id}/documents/${component}/upload-url`, { token, body });

const resultUploadUrl = (token: string, id: string, body: object) =>
  s.call('POST', `/v1/dossiers/${id}/result/upload-url`, { token, body });

const put = async (ticket: any, body: Uint8Array) => {
  const r = await fetch(ticket.url, { method: ticket.method, headers: ticket.headers, body });
  expect(r.status, await r.text()).toBe(200);
};

const exists = async (key: string) => {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (e) {
    if ((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
    throw e;
  }
};

const waitDigitized = (id: string, component: string, key: string) =>
  eventually(async () => {
    const d = await getDossier(id);
    const c = d.components.find((x: any) => x.id === component);
    return c?.digitized?.key === key ? d : undefined;
  });

const waitQuarantined = (key: string) =>
  eventually(async () => {
    const q = key.replace(/^uploads\//, 'quarantine/');
    return (await exists(q)) && !(await exists(key)) ? q : undefined;
  });

const uploadItem = async (uploadId: string) =>
  (await ddb.send(new GetCommand({ TableName: LOCAL_NAMES.table, Key: { PK: `UPLOAD#${uploadId}`, SK: 'UPLOAD' } })))
    .Item;

const queueUrl = () => s.rt.queues.get('scan-checker')?.url as string;

/** Sends an S3 notification for `key` to the checker's queue, as S3 would, and waits for the queue to drain. */
const notifyAgain = async (key: string, size: number) => {
  const record = {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: region,
    eventTime: new Date().toISOString(),
    eventName: 'ObjectCreated:Put',
    s3: {
      s3SchemaVersion: '1.0',
      bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
      object: { key: encodeURIComponent(key).replace(/%2F/g, '/'), size },
    },
  };
  await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl(), MessageBody: JSON.stringify({ Records: [record] }) }));
  await drained();
};

const drained = () =>
  eventually(async () => {
    // Seen twice in a row: the poller has taken and deleted everything.
    for (let i = 0; i < 2; i++) {
      const a = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl(),
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      const n =
        Number(a.Attributes?.ApproximateNumberOfMessages ?? 0) +
        Number(a.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
      if (n > 0) return undefined;
      await new Promise((r) => setTimeout(r, 300));
    }
    return true;
  });

// --- the tests ---------------------------------------------------------------------------------

describe('Scans (số hóa) against the local servers', () => {
  let dossier: any;
  let pdfTicket: any;
  let pdfBytes: Uint8Array;
  let versionAfterPdf: number;
  let exeTicket: any;
  let compA: string;
  let compB: string;

  beforeAll(async () => {
    dossier = await submit(1);
    compA = dossier.components[0].id;
    compB = dossier.components[1].id;
  });

  it('accepts a PDF uploaded to the presigned URL and records its size and SHA-256 on the component', async () => {
    pdfBytes = pdf();
    const r = await uploadUrl(citizen, dossier.id, compA, {
      contentType: 'application/pdf',
      contentLength: pdfBytes.length,
      sha256: b64sha(pdfBytes),
      fileName: '../Giấy chứng tử.pdf',
    });
    expect(r.status).toBe(201);
    pdfTicket = r.json;
    expect(pdfTicket).toMatchObject({ method: 'PUT' });
    expect(pdfTicket.key).toBe(`uploads/bimson/${dossier.id}/${compA}/${pdfTicket.uploadId}`);
    expect(pdfTicket.headers).toMatchObject({
      'content-type': 'application/pdf',
      'x-amz-checksum-sha256': b64sha(pdfBytes),
    });
    const ttl = Date.parse(pdfTicket.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(14 * 60_000);
    expect(ttl).toBeLessThanOrEqual(15 * 60_000);
    const signed = new URL(pdfTicket.url).searchParams.get('X-Amz-SignedHeaders') ?? '';
    expect(signed.split(';')).toEqual(expect.arrayContaining(['content-type', 'content-length']));

    await put(pdfTicket, pdfBytes);
    const d = await waitDigitized(dossier.id, compA, pdfTicket.key);
    const c = d.components.find((x: any) => x.id === compA);
    expect(c.digitized).toMatchObject({ key: pdfTicket.key, size: pdfBytes.length, sha256: hexsha(pdfBytes) });
    expect(d.version).toBe(dossier.version + 1);
    versionAfterPdf = d.version;
    const item = await uploadItem(pdfTicket.uploadId);
    expect(item).toMatchObject({ status: 'digitized', fileName: 'Giấy chứng tử.pdf', by: 'citizen-a' });
    expect(typeof item?.expiresAt).toBe('number');
  });

  it('accepts a PNG declared as image/png without a checksum', async () => {
    const bytes = png();
    const r = await uploadUrl(receiver, dossier.id, compB, { contentType: 'image/png', contentLength: bytes.length });
    expect(r.status).toBe(201);
    expect(r.json.headers['x-amz-checksum-sha256']).toBeUndefined();
    await put(r.json, bytes);
    const d = await waitDigitized(dossier.id, compB, r.json.key);
    expect(d.components.find((x: any) => x.id === compB).digitized.sha256).toBe(hexsha(bytes));
    versionAfterPdf = d.version;
  });

  it('quarantines an executable declared as a PDF: moved under quarantine/, nothing recorded on the dossier', async () => {
    const other = await submit(2);
    const bytes = exe();
    const r = await uploadUrl(citizen, other.id, other.components[0].id, {
      contentType: 'application/pdf',
      contentLength: bytes.length,
      fileName: 'to-khai.pdf',
    });
    exeTicket = r.json;
    await put(exeTicket, bytes);
    const q = await waitQuarantined(exeTicket.key);
    expect(q).toBe(`quarantine/bimson/${other.id}/${other.components[0].id}/${exeTicket.uploadId}`);
    const item = await eventually(async () => {
      const i = await uploadItem(exeTicket.uploadId);
      return i?.status === 'quarantined' ? i : undefined;
    });
    expect(item.rejection).toMatchObject({ reason: 'UNKNOWN_TYPE', quarantineKey: q, size: bytes.length });
    const d = await getDossier(other.id);
    expect(d.version).toBe(other.version);
    expect(d.components[0].digitized).toBeUndefined();
  });

  it('quarantines a file whose SHA-256 is not the declared one', async () => {
    const other = await submit(3);
    const bytes = pdf('that-hoan');
    const r = await uploadUrl(citizen, other.id, other.components[0].id, {
      contentType: 'application/pdf',
      contentLength: bytes.length,
      sha256: b64sha(pdf('mot-tep-khac')),
    });
    await put(r.json, bytes);
    await waitQuarantined(r.json.key);
    const item = await eventually(async () => {
      const i = await uploadItem(r.json.uploadId);
      return i?.status === 'quarantined' ? i : undefined;
    });
    expect(item.rejection).toMatchObject({ reason: 'CHECKSUM_MISMATCH', sha256: hexsha(bytes) });
    expect((await getDossier(other.id)).version).toBe(other.version);
  });

  it('quarantines a PNG declared as a PDF, and a file of another length than declared', async () => {
    const other = await submit(4);
    const bytes = png();
    const wrongType = await uploadUrl(citizen, other.id, other.components[0].id, {
      contentType: 'application/pdf',
      contentLength: bytes.length,
    });
    await put(wrongType.json, bytes);
    const pdfBytes2 = pdf();
    const wrongSize = await uploadUrl(citizen, other.id, other.components[1].id, {
      contentType: 'application/pdf',
      contentLength: pdfBytes2.length + 10,
    });
    // The local S3 refuses a body of another length than the URL signed, as S3 does (local/s3-guard.ts)...
    const refused = await fetch(wrongSize.json.url, {
      method: wrongSize.json.method,
      headers: wrongSize.json.headers,
      body: pdfBytes2,
    });
    expect(refused.status).toBe(403);
    // ...and should such an object land anyway (written with the bucket's own credentials), the checker catches it.
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: wrongSize.json.key,
        Body: pdfBytes2,
        ContentType: 'application/pdf',
      }),
    );
    const empty = await uploadUrl(citizen, other.id, other.components[0].id, {
      contentType: 'image/jpeg',
      contentLength: 10,
    });
    expect(
      (await fetch(empty.json.url, { method: 'PUT', headers: empty.json.headers, body: new Uint8Array() })).status,
    ).toBe(403);
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: empty.json.key, Body: new Uint8Array(), ContentType: 'image/jpeg' }),
    );
    await waitQuarantined(wrongType.json.key);
    await waitQuarantined(wrongSize.json.key);
    await waitQuarantined(empty.json.key);
    expect((await uploadItem(wrongType.json.uploadId))?.rejection.reason).toBe('TYPE_MISMATCH');
    expect((await uploadItem(wrongSize.json.uploadId))?.rejection.reason).toBe('SIZE_MISMATCH');
    expect((await uploadItem(empty.json.uploadId))?.rejection.reason).toBe('EMPTY');
    expect((await getDossier(other.id)).version).toBe(other.version);
  });

  it('records two scans landing at once on the same dossier: one version each, neither lost', async () => {
    const other = await submit(7);
    const [a, b] = [other.components[0].id, other.components[1].id];
    const fa = pdf('a');
    const fb = png();
    const ta = (await uploadUrl(citizen, other.id, a, { contentType: 'application/pdf', contentLength: fa.length }))
      .json;
    const tb = (await uploadUrl(citizen, other.id, b, { contentType: 'image/png', contentLength: fb.length })).json;
    await Promise.all([put(ta, fa), put(tb, fb)]);
    await waitDigitized(other.id, a, ta.key);
    const d = await waitDigitized(other.id, b, tb.key);
    expect(d.components.find((c: any) => c.id === a).digitized.key).toBe(ta.key);
    expect(d.version).toBe(other.version + 2);
  });

  it('changes nothing on a duplicate notification of an accepted or a quarantined upload', async () => {
    const before = await getDossier(dossier.id);
    expect(before.version).toBe(versionAfterPdf);
    await notifyAgain(pdfTicket.key, pdfBytes.length);
    await notifyAgain(exeTicket.key, 256);
    const after = await getDossier(dossier.id);
    expect(after.version).toBe(before.version);
    expect(after.components).toEqual(before.components);
    expect(await exists(pdfTicket.key)).toBe(true);
    expect((await uploadItem(pdfTicket.uploadId))?.status).toBe('digitized');
    expect((await uploadItem(exeTicket.uploadId))?.status).toBe('quarantined');
  });

  it('quarantines an object under uploads/ that no upload-url announced, or that breaks the key layout', async () => {
    const stray = `uploads/bimson/${dossier.id}/${compA}/${crypto.randomUUID()}`;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: stray, Body: pdf(), ContentType: 'application/pdf' }));
    await waitQuarantined(stray);
    const bad = `uploads/bimson/${dossier.id}/${compA}/extra/file name.pdf`;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: bad, Body: pdf(), ContentType: 'application/pdf' }));
    await eventually(async () => ((await exists(bad)) ? undefined : true));
    expect(await exists(`quarantine/invalid/${encodeURIComponent(bad).replace(/\./g, '%2E')}`)).toBe(true);
    expect((await getDossier(dossier.id)).version).toBe(versionAfterPdf);
  });

  it('replaces the digitized entry on a re-upload, and removes the superseded scan', async () => {
    const bytes = pdf('ban-moi');
    const r = await uploadUrl(citizen, dossier.id, compA, {
      contentType: 'application/pdf',
      contentLength: bytes.length,
    });
    await put(r.json, bytes);
    const d = await waitDigitized(dossier.id, compA, r.json.key);
    expect(d.components.find((x: any) => x.id === compA).digitized.sha256).toBe(hexsha(bytes));
    expect(d.version).toBe(versionAfterPdf + 1);
    await eventually(async () => ((await exists(pdfTicket.key)) ? undefined : true));
    pdfTicket = r.json;
    pdfBytes = bytes;
  });

  it('hands the owner and the ward a 5-minute download of the accepted scan, and 404s anyone else', async () => {
    const r = await s.call('GET', `/v1/dossiers/${dossier.id}/documents/${compA}/download-url`, { token: citizen });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ method: 'GET', size: pdfBytes.length, sha256: hexsha(pdfBytes) });
    const ttl = Date.parse(r.json.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(4 * 60_000);
    expect(ttl).toBeLessThanOrEqual(5 * 60_000);
    const got = await fetch(r.json.url);
    expect(got.status).toBe(200);
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(pdfBytes);
    expect(got.headers.get('content-type')).toBe('application/pdf');
    const staff = await s.call('GET', `/v1/dossiers/${dossier.id}/documents/${compA}/download-url`, {
      token: specialist,
    });
    expect(staff.status).toBe(200);
    for (const token of [citizenB, otherWard]) {
      const denied = await s.call('GET', `/v1/dossiers/${dossier.id}/documents/${compA}/download-url`, { token });
      expect([denied.status, denied.json.error.code]).toEqual([404, 'DOSSIER_NOT_FOUND']);
    }
    const other = await submit(5);
    const none = await s.call('GET', `/v1/dossiers/${other.id}/documents/${other.components[0].id}/download-url`, {
      token: citizen,
    });
    expect([none.status, none.json.error.code]).toEqual([404, 'DOCUMENT_NOT_FOUND']);
  });

  it('refuses uploads outside the bounds, to unknown components, of other dossiers and of closed ones', async () => {
    const body = { contentType: 'application/pdf', contentLength: 1000 };
    const gif = await uploadUrl(citizen, dossier.id, compA, { ...body, contentType: 'image/gif' });
    expect([gif.status, gif.json.error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const big = await uploadUrl(citizen, dossier.id, compA, { ...body, contentLength: 20 * 1024 * 1024 + 1 });
    expect([big.status, big.json.error.code]).toEqual([413, 'TOO_LARGE']);
    const badSum = await uploadUrl(citizen, dossier.id, compA, { ...body, sha256: 'abc' });
    expect(badSum.status).toBe(400);
    const unknown = await uploadUrl(citizen, dossier.id, 'khong-co', body);
    expect([unknown.status, unknown.json.error.code]).toEqual([404, 'COMPONENT_NOT_FOUND']);
    const resultThroughComponents = await uploadUrl(citizen, dossier.id, 'result', body);
    expect(resultThroughComponents.status).toBe(404);
    const foreign = await uploadUrl(citizenB, dossier.id, compA, body);
    expect([foreign.status, foreign.json.error.code]).toEqual([404, 'DOSSIER_NOT_FOUND']);
    const otherWardStaff = await uploadUrl(otherWard, dossier.id, compA, body);
    expect(otherWardStaff.status).toBe(404);
    const wrongRole = await uploadUrl(specialist, dossier.id, compA, body);
    expect(wrongRole.status).toBe(403);
    const refused = await submit(6);
    const moved = await s.call('POST', `/v1/dossiers/${refused.id}/transitions`, {
      token: receiver,
      body: { to: 3, expectedVersion: refused.version, reason: 'Không thuộc thẩm quyền' },
    });
    expect(moved.status).toBe(200);
    const closed = await uploadUrl(citizen, refused.id, refused.components[0].id, body);
    expect([closed.status, closed.json.error.code]).toEqual([409, 'DOSSIER_CLOSED']);
  });
});

describe('Signed result document and its public verification', () => {
  let d: any;
  let resultBytes: Uint8Array;
  let code: string;

  beforeAll(async () => {
    d = await submit(20, 'counter', 'Nguyễn Thị Hồng Nhung');
    code = d.code;
  });

  it('takes the result only from a specialist or leader, as a PDF, while processing', async () => {
    resultBytes = pdf('ket-qua');
    const body = { contentType: 'application/pdf', contentLength: resultBytes.length };
    const early = await resultUploadUrl(specialist, d.id, body);
    expect([early.status, early.json.error.code]).toEqual([409, 'RESULT_NOT_EXPECTED']);
    const moved = await s.call('POST', `/v1/dossiers/${d.id}/transitions`, {
      token: receiver,
      body: { to: 4, expectedVersion: d.version },
    });
    expect(moved.status).toBe(200);
    const byReceiver = await resultUploadUrl(receiver, d.id, body);
    expect(byReceiver.status).toBe(403);
    const image = await resultUploadUrl(specialist, d.id, { contentType: 'image/png', contentLength: 100 });
    expect([image.status, image.json.error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const notYet = await s.call('POST', `/v1/dossiers/${d.id}/result/sign`, { token: leader });
    expect([notYet.status, notYet.json.error.code]).toEqual([409, 'RESULT_NOT_DIGITIZED']);
    const r = await resultUploadUrl(specialist, d.id, { ...body, sha256: b64sha(resultBytes) });
    expect(r.status).toBe(201);
    expect(r.json.key).toContain(`/${d.id}/result/`);
    await put(r.json, resultBytes);
    const after = await waitDigitized(d.id, 'result', r.json.key);
    const result = after.components.find((c: any) => c.id === 'result');
    expect(result).toMatchObject({ name: 'Kết quả giải quyết', digitized: { sha256: hexsha(resultBytes) } });
    // The owner of a counter dossier has no account; staff download it.
    const dl = await s.call('GET', `/v1/dossiers/${d.id}/documents/result/download-url`, { token: leader });
    expect(dl.status).toBe(200);
  });

  it('signs once by a leader; a second signature is 409 ALREADY_SIGNED, and so is a new result', async () => {
    // A URL handed out before the signature: what lands through it afterwards is refused.
    const late = pdf('ket-qua-muon');
    const lateTicket = (
      await resultUploadUrl(leader, d.id, { contentType: 'application/pdf', contentLength: late.length })
    ).json;
    const bySpecialist = await s.call('POST', `/v1/dossiers/${d.id}/result/sign`, { token: specialist });
    expect(bySpecialist.status).toBe(403);
    const r = await s.call('POST', `/v1/dossiers/${d.id}/result/sign`, { token: leader });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ code, algorithm: 'ECDSA_SHA_256', resultSha256: hexsha(resultBytes) });
    expect(r.json.keyId).toMatch(/^local:[0-9a-f]{16}$/);
    const again = await s.call('POST', `/v1/dossiers/${d.id}/result/sign`, { token: leader });
    expect([again.status, again.json.error.code]).toEqual([409, 'ALREADY_SIGNED']);
    const reupload = await resultUploadUrl(specialist, d.id, { contentType: 'application/pdf', contentLength: 100 });
    expect([reupload.status, reupload.json.error.code]).toEqual([409, 'ALREADY_SIGNED']);
    await put(lateTicket, late);
    await waitQuarantined(lateTicket.key);
    expect((await uploadItem(lateTicket.uploadId))?.rejection.reason).toBe('ALREADY_SIGNED');
    const after = await getDossier(d.id);
    expect(after.components.find((c: any) => c.id === 'result').digitized.sha256).toBe(hexsha(resultBytes));
  });

  it('verifies publicly, with the masked applicant and no personal data', async () => {
    const r = await s.call('GET', `/v1/verify/${code}`);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      code,
      valid: true,
      applicant: 'N. T. H. Nhung',
      resultSha256: hexsha(resultBytes),
      algorithm: 'ECDSA_SHA_256',
    });
    expect(r.json.procedureName).toBeTruthy();
    expect(Date.parse(r.json.signedAt)).toBeGreaterThan(0);
    const a = applicant(20);
    expect(r.text).not.toContain(a.idNumber);
    expect(r.text).not.toContain(a.phone);
    expect(r.text).not.toContain('Nguyễn Thị Hồng Nhung');
    expect(Object.keys(r.json).sort()).toEqual(
      ['algorithm', 'applicant', 'code', 'keyId', 'procedureName', 'resultSha256', 'signedAt', 'valid'].sort(),
    );
  });

  it('404s an unknown or malformed code', async () => {
    const unknown = await s.call('GET', '/v1/verify/H56.27.01-20000101-9999');
    expect(unknown.status).toBe(404);
    const malformed = await s.call('GET', '/v1/verify/..%2F..%2Fetc');
    expect(malformed.status).toBe(404);
    const unsigned = await s.call('GET', `/v1/verify/${(await submit(21)).code}`);
    expect(unsigned.status).toBe(404);
  });

  it('reports valid: false when the stored signature or a signed field is tampered with', async () => {
    const Key = { PK: `SIGNED#${code}`, SK: 'SIGNED' };
    const item = (await ddb.send(new GetCommand({ TableName: LOCAL_NAMES.table, Key }))).Item as any;
    const sig = Buffer.from(item.signature, 'base64');
    sig[sig.length - 1] = (sig[sig.length - 1] ?? 0) ^ 0x01;
    const set = async (name: string, value: string) =>
      ddb.send(
        new UpdateCommand({
          TableName: LOCAL_NAMES.table,
          Key,
          UpdateExpression: 'SET #n = :v',
          ExpressionAttributeNames: { '#n': name },
          ExpressionAttributeValues: { ':v': value },
        }),
      );
    await set('signature', sig.toString('base64'));
    const tampered = await s.call('GET', `/v1/verify/${code}`);
    expect([tampered.status, tampered.json.valid]).toEqual([200, false]);
    await set('signature', item.signature);
    await set('resultSha256', 'f'.repeat(64));
    expect((await s.call('GET', `/v1/verify/${code}`)).json.valid).toBe(false);
    await set('resultSha256', item.resultSha256);
    expect((await s.call('GET', `/v1/verify/${code}`)).json.valid).toBe(true);
  });

  it('lets the owner download the result only once the dossier has its result', async () => {
    const own = await submit(22);
    let cur = (
      await s.call('POST', `/v1/dossiers/${own.id}/transitions`, {
        token: receiver,
        body: { to: 2, expectedVersion: own.version },
      })
    ).json;
    cur = (
      await s.call('POST', `/v1/dossiers/${own.id}/transitions`, {
        token: receiver,
        body: { to: 4, expectedVersion: cur.version },
      })
    ).json;
    const bytes = pdf('ket-qua-2');
    const r = await resultUploadUrl(leader, own.id, { contentType: 'application/pdf', contentLength: bytes.length });
    await put(r.json, bytes);
    cur = await waitDigitized(own.id, 'result', r.json.key);
    const early = await s.call('GET', `/v1/dossiers/${own.id}/documents/result/download-url`, { token: citizen });
    expect([early.status, early.json.error.code]).toEqual([404, 'DOCUMENT_NOT_FOUND']);
    const done = await s.call('POST', `/v1/dossiers/${own.id}/transitions`, {
      token: leader,
      body: { to: 9, expectedVersion: cur.version },
    });
    expect(done.status).toBe(200);
    const ok = await s.call('GET', `/v1/dossiers/${own.id}/documents/result/download-url`, { token: citizen });
    expect(ok.status).toBe(200);
    const got = await fetch(ok.json.url);
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(bytes);
  });
});

describe('Class: LocalSigner', () => {
  it('keeps its key in MOTCUA_SIGNING_KEY_FILE (0600) and verifies across instances; other keys fail', async () => {
    const { mkdtempSync, statSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { LocalSigner } = await import('#functions/adapters/signer.ts');
    const file = join(mkdtempSync(join(tmpdir(), 'motcua-key-')), 'nested', 'signing-key.pem');
    const a = LocalSigner.fromFile(file);
    const b = LocalSigner.fromFile(file);
    expect(b.keyId).toBe(a.keyId);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const bytes = enc('["motcua.result.v1","x"]');
    const sig = await a.sign(bytes);
    expect(sig.algorithm).toBe('ECDSA_SHA_256');
    expect(await b.verify(bytes, sig.signature, sig.keyId)).toBe(true);
    expect(await b.verify(enc('["motcua.result.v1","y"]'), sig.signature, sig.keyId)).toBe(false);
    expect(await b.verify(bytes, new Uint8Array([0x30, 0x02, 0x01]), sig.keyId)).toBe(false);
    const other = LocalSigner.generate();
    expect(await other.verify(bytes, sig.signature, sig.keyId)).toBe(false);
    expect(await other.verify(bytes, sig.signature, other.keyId)).toBe(false);
  });
});

describe('The OpenAPI document', () => {
  it('documents the documents routes with their bodies and responses', async () => {
    const api = (await s.call('GET', '/openapi.json')).json;
    const up = api.paths['/v1/dossiers/{dossierId}/documents/{componentId}/upload-url'].post;
    expect(up.requestBody.content['application/json'].schema).toBeDefined();
    expect(up.responses['201']).toBeDefined();
    expect(api.components.schemas.UploadTicket).toBeDefined();
    expect(api.components.schemas.Verification.properties.valid).toBeDefined();
  });
});

describe('Class: KmsSigner (against a stand-in for KMS)', () => {
  it('signs through kms:Sign and verifies with the public key from kms:GetPublicKey, fetched once', async () => {
    const { generateKeyPairSync, sign } = await import('node:crypto');
    const { GetPublicKeyCommand, SignCommand } = await import('@aws-sdk/client-kms');
    const { KmsSigner } = await import('#functions/adapters/signer.ts');
    const arn = 'arn:aws:kms:ap-southeast-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const calls: string[] = [];
    const kms = {
      send: async (cmd: any) => {
        calls.push(cmd.constructor.name);
        if (cmd instanceof SignCommand) {
          expect(cmd.input).toMatchObject({ KeyId: arn, MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256' });
          return {
            KeyId: arn,
            Signature: new Uint8Array(sign('sha256', cmd.input.Message as Uint8Array, pair.privateKey)),
          };
        }
        if (cmd instanceof GetPublicKeyCommand) {
          return { KeyId: arn, PublicKey: new Uint8Array(pair.publicKey.export({ format: 'der', type: 'spki' })) };
        }
        throw new Error('unexpected command');
      },
    };
    const signer = new KmsSigner(kms as any, arn);
    const bytes = enc('["motcua.result.v1","kms"]');
    const sig = await signer.sign(bytes);
    expect(sig.keyId).toBe(arn);
    expect(await signer.verify(bytes, sig.signature, arn)).toBe(true);
    expect(await signer.verify(enc('other'), sig.signature, arn)).toBe(false);
    expect(await signer.verify(bytes, sig.signature, `${arn}x`)).toBe(false);
    expect(calls.filter((c) => c === 'GetPublicKeyCommand')).toHaveLength(1);
  });
});
