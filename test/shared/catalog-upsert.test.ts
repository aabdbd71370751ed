/** The admin's upsert of a procedure: own ward only, id spaces, versions, created or replaced. */
import { describe, expect, it } from 'vitest';
import type { Procedure, ProcedureInput } from '../../shared/catalog.ts';
import { ForbiddenError } from '../../shared/errors.ts';
import type { CatalogRepository } from '../../shared/ports.ts';
import { upsertProcedure } from '../../shared/use-cases/catalog.ts';
import { fixedClock, memoryWards, procedure } from './memory-ports.ts';

const input = (over: Partial<ProcedureInput> = {}): ProcedureInput => {
  const { id: _id, version: _v, updatedAt: _u, ward: _w, ...rest } = procedure();
  return { ...rest, ...over };
};

function catalog(initial: Procedure[] = []) {
  const items = new Map(initial.map((p) => [p.id, p]));
  const puts: { p: Procedure; expected: number | undefined }[] = [];
  const repo: Pick<CatalogRepository, 'get' | 'put'> = {
    get: async (id) => items.get(id),
    put: async (p, expected) => {
      puts.push({ p, expected });
      items.set(p.id, p);
    },
  };
  return { repo, puts };
}

const deps = (repo: Pick<CatalogRepository, 'get' | 'put'>) => ({
  catalog: repo,
  wards: memoryWards(),
  clock: fixedClock('2026-06-09T02:00:00.000Z'),
});

describe('Use case: upsertProcedure', () => {
  it('creates version 1 in the admin’s ward, stamped with the clock', async () => {
    // Prepare
    const { repo, puts } = catalog();
    // Act
    const out = await upsertProcedure(deps(repo), { ward: 'bimson' }, 'khai-sinh', input());
    // Assess
    expect(out.created).toBe(true);
    expect(out.procedure).toMatchObject({ id: 'khai-sinh', ward: 'bimson', version: 1 });
    expect(out.procedure.updatedAt).toBe('2026-06-09T02:00:00.000Z');
    expect(puts).toEqual([{ p: out.procedure, expected: undefined }]);
  });

  it('replaces an existing procedure with the next version, conditional on the one read', async () => {
    const { repo, puts } = catalog([procedure({ id: 'khai-sinh', version: 4 })]);
    const out = await upsertProcedure(
      deps(repo),
      { ward: 'bimson' },
      'khai-sinh',
      input({ name: 'Đăng ký khai sinh' }),
    );
    expect(out.created).toBe(false);
    expect(out.procedure.version).toBe(5);
    expect(out.procedure.name).toBe('Đăng ký khai sinh');
    expect(puts[0]?.expected).toBe(4);
  });

  it('refuses another ward in the input, an admin without a ward, and another ward’s procedure (OTHER_WARD)', async () => {
    const { repo, puts } = catalog([procedure({ id: 'cua-ho', ward: 'quangtrung' })]);
    const d = deps(repo);
    for (const attempt of [
      upsertProcedure(d, { ward: 'bimson' }, 'khai-sinh', input({ ward: 'quangtrung' })),
      upsertProcedure(d, {}, 'khai-sinh', input()),
      upsertProcedure(d, undefined, 'khai-sinh', input()),
      upsertProcedure(d, { ward: 'bimson' }, 'cua-ho', input()),
    ]) {
      await expect(attempt).rejects.toBeInstanceOf(ForbiddenError);
      await expect(attempt).rejects.toMatchObject({ code: 'OTHER_WARD' });
    }
    expect(puts).toEqual([]);
  });

  it('refuses an id in another ward’s id space before reading the catalog', async () => {
    const { repo, puts } = catalog();
    await expect(
      upsertProcedure(deps(repo), { ward: 'bimson' }, 'quangtrung-khai-sinh', input()),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect(puts).toEqual([]);
  });
});
