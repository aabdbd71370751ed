/** Adapters built once per process and handed to the use cases. */

import { type Clock, systemClock } from '#shared/ports.ts';
import type { DossierDeps } from '#shared/use-cases/dossiers.ts';
import { dynamo, tableName } from '../adapters/clients.ts';
import { DynamoCalendarRepository, DynamoCatalogRepository } from '../adapters/dynamo-catalog.ts';
import { DynamoDossierRepository } from '../adapters/dynamo-dossiers.ts';
import { DynamoWardDirectory } from '../adapters/dynamo-wards.ts';

let deps: DossierDeps | undefined;

/**
 * The clock is the system's; the local runtime may shift it (MOTCUA_CLOCK_OFFSET_MS, set by the
 * replay tool through /local/clock) so that a quarter of working hours can be played in seconds.
 */
const clock: Clock = {
  now: () => new Date(Date.now() + Number(process.env.MOTCUA_CLOCK_OFFSET_MS ?? 0)),
};

let repository: DynamoDossierRepository | undefined;

/** The DynamoDB dossier repository itself (consumers use its batch read). */
export function dossierRepository(): DynamoDossierRepository {
  repository ??= new DynamoDossierRepository(dynamo(), tableName());
  return repository;
}

export function dossierDeps(): DossierDeps {
  deps ??= {
    dossiers: dossierRepository(),
    catalog: new DynamoCatalogRepository(dynamo(), tableName()),
    calendars: new DynamoCalendarRepository(dynamo(), tableName()),
    clock: process.env.MOTCUA_LOCAL === '1' ? clock : systemClock,
    wards: wardDirectory(),
  };
  return deps;
}

let wards: DynamoWardDirectory | undefined;

/** The ward directory (the table's wards, cached per container for a minute). */
export function wardDirectory(): DynamoWardDirectory {
  wards ??= new DynamoWardDirectory(dynamo(), tableName());
  return wards;
}
