/** Public status lookup (tra cứu hồ sơ): the use case is shared/use-cases/lookup.ts. */
import { lookupDossier } from '#shared/use-cases/lookup.ts';
import { clientIp } from './lib/client-ip.ts';
import { dossierDeps, lookupGuard } from './lib/deps.ts';
import { httpApi, json } from './lib/http.ts';

export const handler = httpApi('lookup', {
  'GET /v1/lookup/{dossierCode}': async ({ params, query, headers, sourceIp }) => {
    const { dossiers, clock } = dossierDeps();
    const client = clientIp(sourceIp, headers);
    return json(
      200,
      await lookupDossier({ dossiers, guard: lookupGuard(), clock }, params.dossierCode, query.phone ?? '', client),
    );
  },
});
