/**
 * `npm run istio -- (--catalog FILE | --catalog-parameter NAME) [--out FILE] ...`: generates the
 * Istio manifests that accept the catalog's calls (see scripts/istio/parseIstioArgs.ts for options).
 * Exit code 0 on success, 1 when the catalog or a key cannot be read, 2 for a wrong command line.
 */
import { writeFileSync } from 'node:fs';
import { isMeshError } from '../shared/errors/meshErrors.ts';
import { logger } from '../shared/logging/logger.ts';
import { generateIstio } from './istio/generateIstio.ts';
import { ISTIO_USAGE, parseIstioArgs, type IstioCommand } from './istio/parseIstioArgs.ts';

let command: IstioCommand;
try {
  command = parseIstioArgs(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n\n${ISTIO_USAGE}`);
  process.exit(2);
}
if (command.help) {
  process.stdout.write(ISTIO_USAGE);
  process.exit(0);
}

logger.setLogLevel('SILENT');
try {
  const yaml = await generateIstio(command.source, command.options, command.keySources);
  if (command.out) writeFileSync(command.out, yaml);
  else process.stdout.write(yaml);
} catch (error) {
  // Mesh errors carry secret-free JSON messages; ours are written to be shown.
  const text = isMeshError(error) ? `${error.name}: ${error.text}` : (error as Error).message;
  process.stderr.write(`npm run istio: ${text}\n`);
  process.exit(1);
}
process.exit(0);
