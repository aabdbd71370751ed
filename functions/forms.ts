/** Forms 01-06 of Circular 03/2025 (Appendix I) as PDF, for the owner and staff of the ward. */

import * as z from 'zod';
import { ForbiddenError, NotFoundError } from '#shared/errors.ts';
import { registerCsv } from '#shared/forms/dossier-forms.ts';
import { isFormId } from '#shared/forms/render/model.ts';
import { renderForm, renderRegister } from '#shared/forms/render/pdf.ts';
import { dossierForm, dossierRegister } from '#shared/use-cases/forms.ts';
import { loadFonts } from './adapters/fonts.ts';
import { dossierLink } from './lib/config.ts';
import { dossierDeps, wardDirectory } from './lib/deps.ts';
import { csvAttachment, httpApi } from './lib/http.ts';
import { receiptRoutes } from './receipts-routes.ts';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
export const registerQuery = z.object({ from: day, to: day, format: z.enum(['pdf', 'csv']).default('pdf') });

export const handler = httpApi('forms', {
  'GET /v1/registers': async (req) => {
    const ward = req.principal.ward;
    if (!ward) throw new ForbiddenError();
    const q = registerQuery.parse(req.query);
    const { rows, now } = await dossierRegister(dossierDeps(), ward, q.from, q.to);
    const name = `so-theo-doi-ho-so-${ward}-${q.from}-${q.to}`;
    if (q.format === 'csv') {
      return csvAttachment(registerCsv(rows), `${name}.csv`);
    }
    const w = await wardDirectory().get(ward);
    const pdf = await renderRegister(
      {
        ward: { name: w?.name ?? ward, unitCode: w?.unitCode ?? '', ...(w ? { address: w.address } : {}) },
        from: q.from,
        to: q.to,
        rows,
        issuedAt: now.toISOString(),
      },
      await loadFonts(),
    );
    return {
      status: 200,
      raw: pdf,
      headers: { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="${name}.pdf"` },
    };
  },
  ...receiptRoutes,
  'GET /v1/dossiers/{dossierId}/forms/{form}': async (req) => {
    const form = req.params.form.replace(/\.pdf$/i, '');
    if (!isFormId(form)) throw new NotFoundError('Biểu mẫu', 'FORM_NOT_FOUND');
    const { dossier: d, data } = await dossierForm(
      { ...dossierDeps(), wards: wardDirectory(), dossierLink },
      req.principal,
      req.params.dossierId,
      form,
    );
    const pdf = await renderForm(form, data, await loadFonts());
    return {
      status: 200,
      raw: pdf,
      headers: {
        'content-type': 'application/pdf',
        'content-disposition': `inline; filename="${d.code}-mau-${form}.pdf"`,
        'cache-control': 'private, no-store',
      },
    };
  },
});
