import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  attachmentDisposition,
  base64DigestToHex,
  decodeEventKey,
  detectType,
  fullCheck,
  MAX_SCAN_BYTES,
  parseUploadKey,
  precheck,
  quarantineKey,
  sanitizeFileName,
  uploadKey,
} from '#shared/scans.ts';
import {
  canonicalText,
  decodeBase64,
  maskName,
  type SignedResult,
  type Signer,
  verifySignedResult,
} from '#shared/signing.ts';

const bytes = (...v: number[]) => new Uint8Array(v);
const ascii = (s: string) => new TextEncoder().encode(s);
const pad = (head: Uint8Array, n = 16) => {
  const out = new Uint8Array(Math.max(n, head.length));
  out.set(head);
  return out;
};

const DOSSIER = '2f1c7a0e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
const UPLOAD = '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d';
const good = `uploads/bimson/${DOSSIER}/giay-chung-tu/${UPLOAD}`;

describe('Function: detectType', () => {
  it('recognises PDF, JPEG, PNG and both TIFF byte orders by their signatures', () => {
    expect(detectType(pad(ascii('%PDF-1.7\n')))).toBe('application/pdf');
    expect(detectType(pad(bytes(0xff, 0xd8, 0xff, 0xe0)))).toBe('image/jpeg');
    expect(detectType(pad(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)))).toBe('image/png');
    expect(detectType(pad(bytes(0x49, 0x49, 0x2a, 0x00)))).toBe('image/tiff');
    expect(detectType(pad(bytes(0x4d, 0x4d, 0x00, 0x2a)))).toBe('image/tiff');
  });

  it('recognises a file exactly as long as its signature', () => {
    expect(detectType(ascii('%PDF-'))).toBe('application/pdf');
    expect(detectType(bytes(0xff, 0xd8, 0xff))).toBe('image/jpeg');
  });

  it('refuses an empty file and a 3-byte file that is only the start of a signature', () => {
    expect(detectType(new Uint8Array())).toBeUndefined();
    expect(detectType(ascii('%PD'))).toBeUndefined();
    expect(detectType(bytes(0x89, 0x50, 0x4e))).toBeUndefined();
    expect(detectType(bytes(0x49, 0x49, 0x2a))).toBeUndefined();
  });

  it('refuses a Windows executable whatever it is called', () => {
    expect(detectType(pad(ascii('MZ\x90\x00\x03\x00\x00\x00')))).toBeUndefined();
  });

  it('refuses a PDF with leading whitespace or a byte-order mark', () => {
    expect(detectType(pad(ascii(' %PDF-1.4')))).toBeUndefined();
    expect(detectType(pad(ascii('\n%PDF-1.4')))).toBeUndefined();
    expect(detectType(pad(bytes(0xef, 0xbb, 0xbf, ...ascii('%PDF-1.4'))))).toBeUndefined();
  });

  it('refuses near misses: lower-case pdf, a PNG with a broken line-ending check, BigTIFF, GIF, ZIP', () => {
    expect(detectType(pad(ascii('%pdf-1.4')))).toBeUndefined();
    expect(detectType(pad(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x00)))).toBeUndefined();
    expect(detectType(pad(bytes(0x49, 0x49, 0x2b, 0x00)))).toBeUndefined();
    expect(detectType(pad(ascii('GIF89a')))).toBeUndefined();
    expect(detectType(pad(bytes(0x50, 0x4b, 0x03, 0x04)))).toBeUndefined();
  });

  it('never throws and answers one of the four types or nothing, on any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 32 }), (b) => {
        const t = detectType(b);
        expect([undefined, 'application/pdf', 'image/jpeg', 'image/png', 'image/tiff']).toContain(t);
      }),
    );
  });
});

describe('Function: parseUploadKey', () => {
  it('reads back the parts uploadKey wrote', () => {
    const parts = { ward: 'bimson', dossierId: DOSSIER, componentId: 'giay-chung-tu', uploadId: UPLOAD };
    expect(uploadKey(parts)).toBe(good);
    expect(parseUploadKey(good)).toEqual(parts);
    expect(parseUploadKey(`uploads/bimson/${DOSSIER}/result/${UPLOAD}`)?.componentId).toBe('result');
  });

  it('rejects .. and . segments', () => {
    expect(parseUploadKey(`uploads/bimson/${DOSSIER}/../${UPLOAD}`)).toBeUndefined();
    expect(parseUploadKey(`uploads/../${DOSSIER}/giay/${UPLOAD}`)).toBeUndefined();
    expect(parseUploadKey(`uploads/bimson/${DOSSIER}/giay/..`)).toBeUndefined();
    expect(parseUploadKey(`uploads/bimson/${DOSSIER}/./${UPLOAD}`)).toBeUndefined();
  });

  it('rejects encoded slashes and dots, even after one decoding', () => {
    expect(parseUploadKey(`uploads/bimson/${DOSSIER}/giay%2F..%2Fx/${UPLOAD}`)).toBeUndefined();
    expect(parseUploadKey(`uploads/bimson/${DOSSIER}/%2E%2E/${UPLOAD}`)).toBeUndefined();
    const decoded = decodeEventKey(`uploads/bimson/${DOSSIER}/giay%2Fx/${UPLOAD}`);
    expect(decoded).toBe(`uploads/bimson/${DOSSIER}/giay/x/${UPLOAD}`);
    expect(parseUploadKey(decoded as string)).toBeUndefined();
  });

  it('rejects a wrong prefix, a missing or extra segment, empty segments and bad ids', () => {
    expect(parseUploadKey(good.replace('uploads/', 'quarantine/'))).toBeUndefined();
    expect(parseUploadKey(`/${good}`)).toBeUndefined();
    expect(parseUploadKey(`Uploads/bimson/${DOSSIER}/giay/${UPLOAD}`)).toBeUndefined();
    expect(parseUploadKey(`uploads/bimson/${DOSSIER}/${UPLOAD}`)).toBeUndefined();
    expect(parseUploadKey(`${good}/extra`)).toBeUndefined();
    expect(parseUploadKey(`${good}/`)).toBeUndefined();
    expect(parseUploadKey(`uploads//${DOSSIER}/giay/${UPLOAD}`)).toBeUndefined();
    expect(parseUploadKey(`uploads/bimson/${DOSSIER.toUpperCase()}/giay/${UPLOAD}`)).toBeUndefined();
    expect(parseUploadKey(`uploads/bimson/not-a-uuid/giay/${UPLOAD}`)).toBeUndefined();
    expect(parseUploadKey(`uploads/bim son/${DOSSIER}/giay/${UPLOAD}`)).toBeUndefined();
    expect(parseUploadKey(`uploads/bimson/${DOSSIER}/gi\u00e2y/${UPLOAD}`)).toBeUndefined();
    expect(parseUploadKey(`uploads/bimson/${DOSSIER}/giay\\..\\x/${UPLOAD}`)).toBeUndefined();
  });

  it('refuses to build a key from parts that could escape the layout', () => {
    expect(() => uploadKey({ ward: '..', dossierId: DOSSIER, componentId: 'a', uploadId: UPLOAD })).toThrow();
    expect(() => uploadKey({ ward: 'bimson', dossierId: DOSSIER, componentId: 'a/b', uploadId: UPLOAD })).toThrow();
  });

  it('never accepts a key containing .., %, a backslash or whitespace', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (tail) => {
        const key = `uploads/${tail}`;
        const p = parseUploadKey(key);
        if (/\.\.|%|\\|\s/.test(key)) expect(p).toBeUndefined();
      }),
    );
  });
});

describe('Function: quarantineKey', () => {
  it('keeps the rest of a well-formed key', () => {
    expect(quarantineKey(good)).toBe(`quarantine/bimson/${DOSSIER}/giay-chung-tu/${UPLOAD}`);
  });

  it('folds any other key into one escaped segment under quarantine/invalid/', () => {
    const q = quarantineKey('uploads/../../etc/passwd');
    expect(q.startsWith('quarantine/invalid/')).toBe(true);
    expect(q.slice('quarantine/invalid/'.length)).not.toMatch(/[/.]/);
  });
});

describe('Function: decodeEventKey', () => {
  it('decodes S3 notification keys (+ for spaces) and refuses malformed escapes', () => {
    expect(decodeEventKey('uploads/a+b/c%2Bd')).toBe('uploads/a b/c+d');
    expect(decodeEventKey('uploads/%E0%A4%A')).toBeUndefined();
  });
});

describe('Function: sanitizeFileName', () => {
  it('keeps Vietnamese names and the extension, drops paths and reserved characters', () => {
    expect(sanitizeFileName('Giấy chứng tử.pdf')).toBe('Giấy chứng tử.pdf');
    expect(sanitizeFileName('C:\\Users\\x\\bản sao.PDF')).toBe('bản sao.PDF');
    expect(sanitizeFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFileName('a"b<c>;d.pdf')).toBe('a_b_c_d.pdf');
    expect(sanitizeFileName('x\r\nContent-Type: evil.pdf')).toBe('xContent-Type_ evil.pdf');
    expect(sanitizeFileName('...')).toBeUndefined();
    expect(sanitizeFileName('')).toBeUndefined();
    expect(sanitizeFileName('.hidden.pdf')).toBe('hidden.pdf');
  });

  it('bounds the length and keeps the extension', () => {
    const long = sanitizeFileName(`${'a'.repeat(300)}.pdf`) as string;
    expect(long.length).toBe(120);
    expect(long.endsWith('.pdf')).toBe(true);
  });

  it('puts a UTF-8 name and an ASCII fallback in a Content-Disposition', () => {
    expect(attachmentDisposition('Giấy chứng tử (1).pdf')).toBe(
      `attachment; filename="Giay chung tu (1).pdf"; filename*=UTF-8''Gi%E1%BA%A5y%20ch%E1%BB%A9ng%20t%E1%BB%AD%20%281%29.pdf`,
    );
  });
});

describe('Function: precheck and fullCheck', () => {
  const exp = { contentType: 'application/pdf' as const, contentLength: 100 };
  it('says why a landed object does not match the upload', () => {
    expect(precheck({ size: 0 }, exp)).toBe('EMPTY');
    expect(precheck({ size: MAX_SCAN_BYTES + 1, detected: 'application/pdf' }, exp)).toBe('TOO_LARGE');
    expect(precheck({ size: 99, detected: 'application/pdf' }, exp)).toBe('SIZE_MISMATCH');
    expect(precheck({ size: 100 }, exp)).toBe('UNKNOWN_TYPE');
    expect(precheck({ size: 100, detected: 'image/png' }, exp)).toBe('TYPE_MISMATCH');
    expect(precheck({ size: 100, detected: 'application/pdf' }, exp)).toBeUndefined();
  });

  it('compares the declared base64 checksum with the measured hex digest', () => {
    const content = ascii('%PDF-1.4 hello');
    const hex = createHash('sha256').update(content).digest('hex');
    const b64 = createHash('sha256').update(content).digest('base64');
    expect(base64DigestToHex(b64)).toBe(hex);
    expect(fullCheck({ size: 100, sha256: hex }, { ...exp, sha256: b64 })).toBeUndefined();
    expect(fullCheck({ size: 100, sha256: 'f'.repeat(64) }, { ...exp, sha256: b64 })).toBe('CHECKSUM_MISMATCH');
    expect(fullCheck({ size: 101, sha256: hex }, exp)).toBe('SIZE_MISMATCH');
  });

  it('converts any 32-byte digest from base64 to hex like Buffer does', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (d) => {
        const b = Buffer.from(d);
        expect(base64DigestToHex(b.toString('base64'))).toBe(b.toString('hex'));
      }),
    );
  });
});

describe('Module: signing (canonical bytes)', () => {
  const fields = {
    code: 'H56.27.01-20260609-0001',
    procedureId: 'bimson-mai-tang',
    procedureName: 'Hỗ trợ chi phí mai táng',
    applicant: maskName('Nguyễn Thị Hồng Nhung'),
    resultSha256: 'ab'.repeat(32),
    signedAt: '2026-06-09T03:00:00.000Z',
    signer: 'leader-1',
  };

  it('masks the applicant as initials and the given name', () => {
    expect(maskName('Nguyễn Thị Hồng Nhung')).toBe('N. T. H. Nhung');
    expect(maskName('  Lê   Văn  An ')).toBe('L. V. An');
  });

  it('is a fixed-order JSON array that no field can run into the next', () => {
    expect(canonicalText(fields)).toBe(
      '["motcua.result.v1","H56.27.01-20260609-0001","bimson-mai-tang","Hỗ trợ chi phí mai táng","N. T. H. Nhung",' +
        `"${'ab'.repeat(32)}","2026-06-09T03:00:00.000Z","leader-1"]`,
    );
    expect(canonicalText({ ...fields, procedureName: 'a","b' })).not.toBe(
      canonicalText({ ...fields, procedureName: 'a', applicant: `b",${JSON.stringify(fields.applicant)}` }),
    );
  });

  it('fails verification when a field, the stored text or the signature is changed', async () => {
    const signer: Signer = {
      sign: async () => ({ signature: new Uint8Array([1]), keyId: 'k', algorithm: 'ECDSA_SHA_256' }),
      verify: async (b, s, k) => k === 'k' && s.length === 1 && new TextDecoder().decode(b) === canonicalText(fields),
    };
    const record: SignedResult = {
      ...fields,
      dossierId: DOSSIER,
      ward: 'bimson',
      signature: 'AQ==',
      keyId: 'k',
      algorithm: 'ECDSA_SHA_256',
      canonical: canonicalText(fields),
    };
    expect(await verifySignedResult(signer, record)).toBe(true);
    expect(await verifySignedResult(signer, { ...record, resultSha256: 'cd'.repeat(32) })).toBe(false);
    expect(await verifySignedResult(signer, { ...record, canonical: `${record.canonical} ` })).toBe(false);
    expect(await verifySignedResult(signer, { ...record, signature: 'AQI=' })).toBe(false);
    expect(await verifySignedResult(signer, { ...record, signature: 'not base64!' })).toBe(false);
    expect(decodeBase64('AQ==')).toEqual(new Uint8Array([1]));
  });
});
