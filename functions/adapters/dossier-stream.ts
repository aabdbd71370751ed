/** Dossiers as the table's stream brings them: the new image of each write of a dossier item. */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { Dossier } from '#shared/dossier.ts';
import { stripKeys } from './keys.ts';

interface DossierImages {
  /** Per dossier id: its newest image in the batch, and the sequence number of its first record. */
  readonly latest: Map<string, { readonly dossier: Dossier; readonly firstSequenceNumber: string }>;
  /** Records that carry no readable dossier (a filter that let something else through). */
  readonly unreadable: readonly { readonly sequenceNumber: string; readonly error: string }[];
}

export function dossierImages(records: readonly DynamoDBRecord[]): DossierImages {
  const latest = new Map<string, { dossier: Dossier; firstSequenceNumber: string }>();
  const unreadable: { sequenceNumber: string; error: string }[] = [];
  for (const r of records) {
    const seq = r.dynamodb?.SequenceNumber ?? '';
    const image = r.dynamodb?.NewImage;
    // A removal (TTL or not) has no new image and nothing to count.
    if (r.eventName === 'REMOVE' || !image) continue;
    const item = unmarshall(image as Parameters<typeof unmarshall>[0]);
    if (item.entity !== 'dossier' || typeof item.id !== 'string' || typeof item.version !== 'number') {
      unreadable.push({ sequenceNumber: seq, error: `not a dossier image (entity ${String(item.entity)})` });
      continue;
    }
    const dossier = stripKeys<Dossier>(item);
    const seen = latest.get(dossier.id);
    if (!seen) latest.set(dossier.id, { dossier, firstSequenceNumber: seq });
    else if (dossier.version > seen.dossier.version) latest.set(dossier.id, { ...seen, dossier });
  }
  return { latest, unreadable };
}
