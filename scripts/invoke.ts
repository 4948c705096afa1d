/**
 * `npm run invoke -- <FunctionLogicalId> [-e event.json] [-n env.json] [-t template.yaml]`: a
 * Docker-less stand-in for `sam local invoke`. Reads the function's entry point, handler, limits and
 * environment from the template (Globals + function, `!Ref` → parameter defaults), overlays the
 * env-vars file (default test/events/env.json; like `--env-vars`, only declared variables), starts
 * the local mesh (its SSM endpoint, catalog parameter and credentials win), runs the event through
 * the real handler with a Lambda context, prints the function's logs and START/END/REPORT lines on
 * stderr and its response — or the runtime's error JSON — on stdout. Exits 0, or 1 on a function error.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startLocalMesh } from '../test/mesh/startLocalMesh.ts';
import { invokeLocalFunction, type LambdaHandler } from './workflow/invokeLocalFunction.ts';
import { loadSamTemplate } from './workflow/loadSamTemplate.ts';
import { resolveLocalFunction } from './workflow/resolveLocalFunction.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    event: { type: 'string', short: 'e' },
    'env-vars': { type: 'string', short: 'n' },
    template: { type: 'string', short: 't', default: 'template.yaml' },
  },
});
const logicalId = positionals[0];
if (!logicalId) {
  console.error('usage: npm run invoke -- <FunctionLogicalId> [-e event.json] [-n env.json] [-t template.yaml]');
  process.exit(2);
}

const templatePath = resolve(values.template!);
const config = await loadSamTemplate(templatePath)
  .then((template) => resolveLocalFunction(template, logicalId))
  .catch((error: Error) => {
    console.error(`Error: ${error.message}`);
    process.exit(2);
  });
const envVarsPath = values['env-vars'] ?? (existsSync('test/events/env.json') ? 'test/events/env.json' : undefined);
const overrides = envVarsPath ? (JSON.parse(await readFile(envVarsPath, 'utf8')) as Record<string, Record<string, string>>) : {};
const environment = { ...config.environment };
for (const [name, value] of Object.entries({ ...overrides.Parameters, ...overrides[logicalId] })) {
  // sam local only overrides what the template declares.
  if (name in environment) environment[name] = String(value);
  else console.error(`${envVarsPath}: ${logicalId} does not declare ${name}; ignored, as sam local does`);
}
const event: unknown = values.event ? JSON.parse(await readFile(values.event, 'utf8')) : {};

// As in `sam local invoke`: the function's output (logs, metrics) on stderr, the response on stdout.
const writeStdout = process.stdout.write.bind(process.stdout);
process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;

const mesh = await startLocalMesh();
let exitCode = 1;
try {
  Object.assign(process.env, environment, {
    AWS_LAMBDA_FUNCTION_NAME: logicalId,
    // Lambda sets this for on-demand sandboxes; Powertools reports cold_start only when it is set.
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(config.memorySize),
    AWS_LAMBDA_FUNCTION_TIMEOUT: String(config.timeoutSeconds),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${logicalId}`,
    AWS_LAMBDA_LOG_STREAM_NAME: `$LATEST/local`,
    AWS_EXECUTION_ENV: `AWS_Lambda_${config.runtime}`,
    _HANDLER: config.handler,
    // The mesh's endpoint, catalog and (test) credentials win over the template and env.json.
    AWS_ENDPOINT_URL_SSM: mesh.env.AWS_ENDPOINT_URL_SSM,
    MESHGATE_CATALOG_PARAMETER: mesh.env.MESHGATE_CATALOG_PARAMETER,
    AWS_REGION: mesh.env.AWS_REGION,
    AWS_ACCESS_KEY_ID: mesh.env.AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: mesh.env.AWS_SECRET_ACCESS_KEY,
  });

  const initStarted = performance.now();
  const module = (await import(pathToFileURL(resolve(dirname(templatePath), config.entryPoint)).href)) as Record<string, unknown>;
  const handler = module[config.exportName];
  if (typeof handler !== 'function') throw new Error(`${config.entryPoint} exports no function ${config.exportName}`);
  const initMs = performance.now() - initStarted;

  const requestId = randomUUID();
  console.error(`START RequestId: ${requestId} Version: $LATEST`);
  const fn = { handler: handler as LambdaHandler, timeoutSeconds: config.timeoutSeconds };
  const invocation = await invokeLocalFunction(fn, event, logicalId, requestId);
  const { durationMs } = invocation;
  console.error(`END RequestId: ${requestId}`);
  console.error(
    `REPORT RequestId: ${requestId}\tInit Duration: ${initMs.toFixed(2)} ms\tDuration: ${durationMs.toFixed(2)} ms\t` +
      `Billed Duration: ${Math.max(1, Math.ceil(durationMs))} ms\tMemory Size: ${config.memorySize} MB\t` +
      `Max Memory Used: ${Math.round(process.memoryUsage.rss() / 1024 / 1024)} MB`,
  );
  writeStdout(`${JSON.stringify(invocation.ok ? invocation.payload : invocation.error)}\n`);
  exitCode = invocation.ok ? 0 : 1;
} finally {
  await mesh.stop();
}
// Pooled keep-alive sockets of the handler's module would keep a real sandbox alive too; a CLI ends here.
process.exit(exitCode);
