import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one logger of the invokers. Messages are fixed strings and data goes in attributes
 * (parameter *names*, error names, durations) — never a secret value, token or PEM.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'meshgate' });
