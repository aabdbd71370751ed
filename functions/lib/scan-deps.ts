/** Adapters the scan routes and the scan checker share, built once per process. */
import type { Clock } from '#shared/ports.ts';
import type { DossierDeps } from '#shared/use-cases/dossiers.ts';
import { bucketName, dynamo, s3, tableName } from '../adapters/clients.ts';
import { DynamoDocumentRecords, S3ScanStore } from '../adapters/s3-scans.ts';
import { dossierDeps } from './deps.ts';

let scans: ScanDeps | undefined;

/** What the scan routes and the scan checker share: the dossiers, the clock, upload records, the bucket. */
interface ScanDeps {
  readonly dossiers: DossierDeps['dossiers'];
  readonly clock: Clock;
  readonly records: DynamoDocumentRecords;
  readonly scans: S3ScanStore;
}

export function scanDeps(): ScanDeps {
  if (!scans) {
    const { dossiers, clock } = dossierDeps();
    scans = {
      dossiers,
      clock,
      records: new DynamoDocumentRecords(dynamo(), tableName()),
      scans: new S3ScanStore(s3(), bucketName(), () => clock.now()),
    };
  }
  return scans;
}
