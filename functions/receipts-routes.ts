/**
 * The electronic receipts' routes (biên lai điện tử), served by the `forms` function (the one that
 * bundles the fonts): a dossier's receipts, one receipt as PDF, and the public verification that
 * the receipt's QR code opens.
 */
import { NotFoundError } from '#shared/errors.ts';
import { renderReceipt } from '#shared/forms/receipt.ts';
import { isReceiptId, type Receipt, receiptItemView, receiptVerification } from '#shared/receipts/receipts.ts';
import { visibleDossier } from '#shared/use-cases/dossiers.ts';
import { dynamo, tableName } from './adapters/clients.ts';
import { DynamoReceiptRepository } from './adapters/dynamo-receipts.ts';
import { loadFonts } from './adapters/fonts.ts';
import { publicBaseUrl } from './lib/config.ts';
import { dossierDeps } from './lib/deps.ts';
import { type HttpRequest, type HttpResult, json } from './lib/http.ts';

let repo: DynamoReceiptRepository | undefined;
const receipts = () => {
  repo ??= new DynamoReceiptRepository(dynamo(), tableName());
  return repo;
};

const notFound = () => new NotFoundError('Biên lai', 'RECEIPT_NOT_FOUND');

/** What a receipt's QR code opens. */
export const receiptVerifyUrl = (id: string): string => `${publicBaseUrl()}/v1/verify/receipts/${id}`;

/** The receipt if the caller may see its dossier (owner, staff of its ward); 404 otherwise. */
async function visibleReceipt(req: HttpRequest, id: string): Promise<Receipt> {
  if (!isReceiptId(id) || !req.principal) throw notFound();
  const r = await receipts().get(id);
  if (!r) throw notFound();
  try {
    await visibleDossier(dossierDeps(), req.principal, r.dossierId);
  } catch (e) {
    if (e instanceof NotFoundError) throw notFound();
    throw e;
  }
  return r;
}

export const receiptRoutes = {
  'GET /v1/dossiers/{dossierId}/receipts': async (req: HttpRequest): Promise<HttpResult> => {
    if (!req.principal) throw new NotFoundError('Hồ sơ', 'DOSSIER_NOT_FOUND');
    const d = await visibleDossier(dossierDeps(), req.principal, req.params.dossierId ?? '');
    const items = await receipts().listByDossier(d.id);
    return json(200, { items: items.map(receiptItemView) });
  },
  'GET /v1/receipts/{receiptId}': async (req: HttpRequest): Promise<HttpResult> => {
    const raw = req.params.receiptId ?? '';
    if (!/\.pdf$/i.test(raw)) throw notFound();
    const r = await visibleReceipt(req, raw.replace(/\.pdf$/i, ''));
    const pdf = await renderReceipt(r, receiptVerifyUrl(r.id), await loadFonts());
    return {
      status: 200,
      raw: pdf,
      headers: {
        'content-type': 'application/pdf',
        'content-disposition': `inline; filename="bien-lai-${r.series}-${r.number}.pdf"`,
        'cache-control': 'private, no-store',
      },
    };
  },
  'GET /v1/verify/receipts/{receiptId}': async (req: HttpRequest): Promise<HttpResult> => {
    const id = req.params.receiptId ?? '';
    const r = isReceiptId(id) ? await receipts().get(id) : undefined;
    if (!r) throw notFound();
    return json(200, receiptVerification(r));
  },
};
