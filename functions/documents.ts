/**
 * Documents routes (số hóa): presigned uploads and downloads of scans, the result document's
 * upload and signature, and the public verification of a signed result.
 */
import { signResult, verifyResult } from '#shared/use-cases/documents/result.ts';
import {
  requestDownload,
  requestResultUpload,
  requestUpload,
  uploadRequestSchema,
} from '#shared/use-cases/documents/uploads.ts';
import { documentDeps } from './lib/deps.ts';
import { httpApi, json } from './lib/http.ts';

export const handler = httpApi('documents', {
  'POST /v1/dossiers/{dossierId}/documents/{componentId}/upload-url': async (req) => {
    const id = req.params.dossierId;
    const component = req.params.componentId;
    const input = uploadRequestSchema.parse(req.body);
    return json(201, await requestUpload(documentDeps(), req.principal, id, component, input, req.correlationId));
  },
  'GET /v1/dossiers/{dossierId}/documents/{componentId}/download-url': async (req) => {
    const id = req.params.dossierId;
    const component = req.params.componentId;
    return json(200, await requestDownload(documentDeps(), req.principal, id, component));
  },
  'POST /v1/dossiers/{dossierId}/result/upload-url': async (req) => {
    const id = req.params.dossierId;
    const input = uploadRequestSchema.parse(req.body);
    return json(201, await requestResultUpload(documentDeps(), req.principal, id, input, req.correlationId));
  },
  'POST /v1/dossiers/{dossierId}/result/sign': {
    handler: async (req) => json(201, await signResult(documentDeps(), req.principal, req.params.dossierId)),
    // The body, if any, is ignored: what is signed comes from the record, never from the caller.
    options: { body: 'none' },
  },
  'GET /v1/verify/{dossierCode}': async (req) => json(200, await verifyResult(documentDeps(), req.params.dossierCode)),
});
