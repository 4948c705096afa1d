import { join } from 'node:path';
import { loadSamTemplate } from '../workflow/loadSamTemplate.ts';
import { resolveLocalFunction } from '../workflow/resolveLocalFunction.ts';
import { repoRoot } from './repoRoot.ts';

/** How Lambda starts the deployed function's Node.js process, so measured processes start the same way. */
export interface LambdaRuntime {
  memoryMb: number;
  /** NODE_OPTIONS from the template (e.g. `--enable-source-maps`). */
  nodeOptions: string;
  /** The V8 heap flags the Lambda Node.js bootstrap derives from the memory size. */
  v8Flags: string[];
  /** The template's variables (Globals, then the function's) and those Lambda itself sets. */
  environment: Record<string, string>;
}

/**
 * Reads HttpInvokerFunction's memory size and environment from template.yaml (as `npm run invoke`
 * does) and adds what Lambda sets: the function's name and memory, on-demand initialization, and
 * the advanced logging controls `LoggingConfig` turns into AWS_LAMBDA_LOG_FORMAT and
 * AWS_LAMBDA_LOG_LEVEL. The heap flags follow the Lambda Node.js bootstrap: a tenth of the memory
 * for the young generation (half per semi-space), the rest for the old one. Without them V8 sizes
 * its heap for this machine, not for the function, and memory numbers mean little.
 *
 * @example
 * const runtime = await lambdaRuntime(); // { memoryMb: 512, nodeOptions: '', v8Flags: [...], environment: {...} }
 */
export async function lambdaRuntime(logicalId = 'HttpInvokerFunction', templatePath = join(repoRoot, 'template.yaml')): Promise<LambdaRuntime> {
  const template = await loadSamTemplate(templatePath);
  const config = resolveLocalFunction(template, logicalId);
  const logging = { ...template.Globals?.Function?.LoggingConfig, ...template.Resources[logicalId].Properties?.LoggingConfig } as {
    LogFormat?: string;
    ApplicationLogLevel?: unknown;
  };
  const applicationLogLevel = typeof logging.ApplicationLogLevel === 'string' ? logging.ApplicationLogLevel : config.environment.POWERTOOLS_LOG_LEVEL;
  const newSpace = Math.floor(config.memorySize / 10);
  return {
    memoryMb: config.memorySize,
    nodeOptions: config.environment.NODE_OPTIONS ?? '',
    v8Flags: [`--max-semi-space-size=${Math.floor(newSpace / 2)}`, `--max-old-space-size=${config.memorySize - newSpace}`],
    environment: {
      ...config.environment,
      AWS_LAMBDA_FUNCTION_NAME: logicalId,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(config.memorySize),
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_EXECUTION_ENV: `AWS_Lambda_${config.runtime}`,
      ...(logging.LogFormat === 'JSON' ? { AWS_LAMBDA_LOG_FORMAT: 'JSON', ...(applicationLogLevel ? { AWS_LAMBDA_LOG_LEVEL: applicationLogLevel } : {}) } : {}),
    },
  };
}
