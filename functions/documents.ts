/**
 * Documents routes (số hóa): presigned uploads and downloads of scans, the result document's
 * upload and signature, and the public verification of a signed result.
 */
import { isDossierId } from '#shared/dossier.ts';
import { NotFoundError } from '#shared/errors.ts';
import type { DocumentDeps } from '#shared/use-cases/documents/model.ts';
import { signResult, verifyResult } from '#shared/use-cases/documents/result.ts';
import {
  requestDownload,
  requestResultUpload,
  requestUpload,
  uploadRequestSchema,
} from '#shared/use-cases/documents/uploads.ts';
import { resultSigner } from './adapters/signer.ts';
import { type HttpRequest, httpApi, json } from './lib/http.ts';
import { scanDeps } from './lib/scan-deps.ts';

let deps: DocumentDeps | undefined;

function documentDeps(): DocumentDeps {
  deps ??= { ...scanDeps(), signer: resultSigner() };
  return deps;
}

const COMPONENT = /^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$/;

/** A malformed id cannot name a dossier the caller may see: 404, like any other. */
function dossierId(req: HttpRequest): string {
  const id = req.params.dossierId ?? '';
  if (!isDossierId(id)) throw new NotFoundError('Hồ sơ', 'DOSSIER_NOT_FOUND');
  return id;
}

function componentId(req: HttpRequest): string {
  const id = req.params.componentId ?? '';
  if (!COMPONENT.test(id)) throw new NotFoundError('Thành phần hồ sơ', 'COMPONENT_NOT_FOUND');
  return id;
}

const principal = (req: HttpRequest) => {
  if (!req.principal) throw new Error('route without a principal');
  return req.principal;
};

export const handler = httpApi({
  'POST /v1/dossiers/{dossierId}/documents/{componentId}/upload-url': async (req) => {
    const id = dossierId(req);
    const component = componentId(req);
    const input = uploadRequestSchema.parse(req.body);
    return json(201, await requestUpload(documentDeps(), principal(req), id, component, input, req.correlationId));
  },
  'GET /v1/dossiers/{dossierId}/documents/{componentId}/download-url': async (req) => {
    const id = dossierId(req);
    const component = componentId(req);
    return json(200, await requestDownload(documentDeps(), principal(req), id, component));
  },
  'POST /v1/dossiers/{dossierId}/result/upload-url': async (req) => {
    const id = dossierId(req);
    const input = uploadRequestSchema.parse(req.body);
    return json(201, await requestResultUpload(documentDeps(), principal(req), id, input, req.correlationId));
  },
  'POST /v1/dossiers/{dossierId}/result/sign': {
    handler: async (req) => json(201, await signResult(documentDeps(), principal(req), dossierId(req))),
    // The body, if any, is ignored: what is signed comes from the record, never from the caller.
    options: { body: 'none' },
  },
  'GET /v1/verify/{dossierCode}': async (req) =>
    json(200, await verifyResult(documentDeps(), req.params.dossierCode ?? '')),
});
