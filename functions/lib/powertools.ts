/** Powertools objects, built once per process (STYLE.md). Citizens' data never goes in a log line. */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: 'motcua' });
