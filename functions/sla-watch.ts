/** Scheduled deadline watch: due-soon warnings, overdue detection and the apology (form 04). */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import type { AnyDomainEvent } from '#shared/events.ts';
import { type SlaAlarm, type SlaAlarms, watchDeadlines } from '#shared/use-cases/sla.ts';
import { dynamo, tableName } from './adapters/clients.ts';
import { isCancelled } from './adapters/dynamo-util.ts';
import { DEDUP_TTL_S, epochS, keys } from './adapters/keys.ts';
import { outboxPuts } from './adapters/outbox.ts';
import { dossierDeps, wardDirectory } from './lib/deps.ts';
import { logger } from './lib/powertools.ts';

const alarms: SlaAlarms = {
  async raiseOnce(alarm: SlaAlarm, event: AnyDomainEvent): Promise<boolean> {
    try {
      await dynamo().send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: tableName(),
                Item: { ...keys.slaAlarm(alarm), entity: 'sla', eventId: event.id, expiresAt: epochS() + DEDUP_TTL_S },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            ...outboxPuts(tableName(), [event]),
          ],
        }),
      );
      return true;
    } catch (e) {
      if (isCancelled(e)) return false;
      throw e;
    }
  },
};

export const handler = middy<ScheduledEvent, { overdue: number; dueSoon: number }>().handler(async () => {
  const deps = dossierDeps();
  const result = await watchDeadlines(
    { ...deps, alarms },
    (await wardDirectory().list()).map((w) => w.id),
  );
  logger.info('deadline watch', result);
  return result;
});
