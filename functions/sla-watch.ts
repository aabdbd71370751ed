/** Scheduled deadline watch: due-soon warnings, overdue detection and the apology (form 04). */
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { watchDeadlines } from '#shared/use-cases/sla.ts';
import { dossierDeps, slaAlarms, wardDirectory } from './lib/deps.ts';
import { logger } from './lib/powertools.ts';

export const handler = middy<ScheduledEvent, { overdue: number; dueSoon: number }>().handler(async () => {
  const deps = dossierDeps();
  const result = await watchDeadlines(
    { ...deps, alarms: slaAlarms() },
    (await wardDirectory().list()).map((w) => w.id),
  );
  logger.info('deadline watch', result);
  return result;
});
