/** Powertools objects, built once per process (STYLE.md). Citizens' data never goes in a log line. */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';

export const logger = new Logger({ serviceName: 'motcua' });

/**
 * The logger's middleware, first in every handler's chain: the Lambda context in each log line,
 * and the keys the invocation appended (correlation id, route, event id) dropped when it ends.
 */
export const logContext = () => injectLambdaContext(logger, { resetKeys: true });
