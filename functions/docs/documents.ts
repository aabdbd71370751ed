/** OpenAPI entries of the documents routes (see functions/lib/openapi.ts). */
import * as z from 'zod';
import './zod-openapi.ts';
import { MAX_SCAN_BYTES, SCAN_CONTENT_TYPES } from '#shared/scans.ts';
import { uploadRequestSchema } from '#shared/use-cases/documents/uploads.ts';
import type { RouteDocs } from './route-doc.ts';

const uploadTicketSchema = z
  .object({
    uploadId: z.string(),
    url: z.string().openapi({ description: 'Presigned PUT, valid 15 minutes' }),
    method: z.literal('PUT'),
    headers: z.record(z.string(), z.string()).openapi({
      description:
        'Send exactly these headers with the PUT (they are signed): content-type, if-none-match: * ' +
        '(the key is write-once) and x-amz-checksum-sha256 when a checksum was declared.',
      example: { 'content-type': 'application/pdf', 'if-none-match': '*' },
    }),
    expiresAt: z.string(),
    key: z.string().openapi({ example: 'uploads/bimson/<dossierId>/<componentId>/<uploadId>' }),
  })
  .openapi('UploadTicket');

const downloadTicketSchema = z
  .object({
    url: z.string().openapi({ description: 'Presigned GET, valid 5 minutes' }),
    method: z.literal('GET'),
    expiresAt: z.string(),
    size: z.number().int(),
    sha256: z.string().openapi({ description: 'Lower-case hex SHA-256 measured by the scan checker' }),
    contentType: z.string().optional(),
    fileName: z.string().optional(),
  })
  .openapi('DownloadTicket');

const signReceiptSchema = z
  .object({
    code: z.string(),
    signedAt: z.string(),
    resultSha256: z.string(),
    keyId: z.string(),
    algorithm: z.literal('ECDSA_SHA_256'),
  })
  .openapi('SignReceipt');

const verificationSchema = z
  .object({
    code: z.string().openapi({ example: 'H56.27.01-20260609-0001' }),
    valid: z.boolean(),
    signedAt: z.string(),
    procedureName: z.string(),
    applicant: z.string().openapi({ example: 'N. T. H. Nhung', description: 'Masked name' }),
    resultSha256: z.string().openapi({ description: 'Hash the result PDF to compare (lower-case hex SHA-256)' }),
    algorithm: z.literal('ECDSA_SHA_256'),
    keyId: z.string(),
  })
  .openapi('Verification');

const bounds = `Types: ${SCAN_CONTENT_TYPES.join(', ')}; at most ${MAX_SCAN_BYTES / 1024 / 1024} MB (413 TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE).`;

export const documentsDocs = {
  'POST /v1/dossiers/{dossierId}/documents/{componentId}/upload-url': {
    summary:
      `Presigned upload of a component's scan (owner or a receiver of the ward). ${bounds} ` +
      'The scan checker then reads the first bytes, size and SHA-256: the component shows `digitized` ' +
      'when they match what was declared; anything else is quarantined.',
    body: uploadRequestSchema,
    response: uploadTicketSchema,
    status: 201,
  },
  'GET /v1/dossiers/{dossierId}/documents/{componentId}/download-url': {
    summary:
      "Presigned download of a component's accepted scan (owner, staff of the ward); componentId `result` is the " +
      'result document (for the owner once the dossier is at 9 or 10). 404 DOCUMENT_NOT_FOUND if none.',
    response: downloadTicketSchema,
  },
  'POST /v1/dossiers/{dossierId}/result/upload-url': {
    summary:
      'Presigned upload of the result document, PDF only (specialist or leader of the ward; dossier at 4 or 6; ' +
      '409 ALREADY_SIGNED once signed). Recorded as the component `result`.',
    body: uploadRequestSchema,
    response: uploadTicketSchema,
    status: 201,
  },
  'POST /v1/dossiers/{dossierId}/result/sign': {
    summary:
      'A leader of the ward signs the digitized result (ECDSA P-256, SHA-256): code, procedure, masked applicant, ' +
      "the result's SHA-256, time and signer. 409 RESULT_NOT_DIGITIZED, 409 ALREADY_SIGNED.",
    response: signReceiptSchema,
    status: 201,
  },
  'GET /v1/verify/{dossierCode}': {
    summary:
      'Public verification of a signed result: whether the signature is valid, and what was signed (no personal ' +
      'data). 404 for an unknown code or an unsigned result.',
    response: verificationSchema,
  },
} satisfies RouteDocs<'documents'>;
