/** What the QR codes open: our own pages by default, the portal's when a template is configured. */
import { afterEach, describe, expect, it } from 'vitest';
import { dossierLink, procedureLink } from '#functions/lib/config.ts';

const saved = { ...process.env };
afterEach(() => {
  for (const k of ['PUBLIC_BASE_URL', 'PROCEDURE_PAGE_URL', 'DOSSIER_PAGE_URL']) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

describe('Function: procedureLink / dossierLink', () => {
  it("opens the procedure's page and the dossier's status page served by us, by default", () => {
    process.env.PUBLIC_BASE_URL = 'https://api.motcua.test/';
    delete process.env.PROCEDURE_PAGE_URL;
    delete process.env.DOSSIER_PAGE_URL;
    expect(procedureLink({ id: 'bimson-dang-ky-khai-sinh', ward: 'bimson' })).toBe(
      'https://api.motcua.test/p/bimson/thu-tuc/bimson-dang-ky-khai-sinh',
    );
    expect(dossierLink('H56.27.01-20260609-0001')).toBe('https://api.motcua.test/p/tra-cuu/H56.27.01-20260609-0001');
  });

  it('still opens the portal when PROCEDURE_PAGE_URL / DOSSIER_PAGE_URL are set', () => {
    process.env.PUBLIC_BASE_URL = 'https://api.motcua.test';
    process.env.PROCEDURE_PAGE_URL = 'https://dvc.example/thu-tuc/{procedureId}';
    process.env.DOSSIER_PAGE_URL = 'https://dvc.example/tra-cuu?ma={code}';
    expect(procedureLink({ id: 'bimson-x', ward: 'bimson' })).toBe('https://dvc.example/thu-tuc/bimson-x');
    expect(dossierLink('A-20260609-1')).toBe('https://dvc.example/tra-cuu?ma=A-20260609-1');
  });
});
