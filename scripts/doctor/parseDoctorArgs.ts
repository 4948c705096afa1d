import { parseArgs } from 'node:util';
import { DEFAULT_MIN_DAYS, DEFAULT_STEP_TIMEOUT_MS, type DoctorOptions, type DoctorProbe } from './doctorOptions.ts';

export const DOCTOR_USAGE = `usage: npm run doctor -- --catalog-parameter NAME [--probe SERVICE:PATH]... [--min-days N] [--timeout-ms N]

Checks a meshgate deployment's configuration step by step: catalog, parameters, certificate and
key, token, TLS handshake per service, optional probes. Region and credentials come from the usual
AWS environment; a local SSM endpoint from AWS_ENDPOINT_URL_SSM. Exit code 1 when a check fails.

  --catalog-parameter NAME  SSM parameter holding the catalog (MESHGATE_CATALOG_PARAMETER by default)
  --probe SERVICE:PATH      also send GET PATH to SERVICE (repeatable), e.g. orders:/v1/orders/health
  --min-days N              fail certificates that expire within N days (default ${DEFAULT_MIN_DAYS})
  --timeout-ms N            time allowed per network step (default ${DEFAULT_STEP_TIMEOUT_MS})
`;

/**
 * The doctor's command line; throws a usage message (an Error) when it is wrong.
 *
 * @example
 * parseDoctorArgs(['--catalog-parameter', '/meshgate/prod/catalog', '--probe', 'orders:/v1/orders/7'])
 */
export function parseDoctorArgs(args: string[], env: NodeJS.ProcessEnv = process.env): DoctorOptions & { help: boolean } {
  const { values } = parseArgs({
    args,
    options: {
      'catalog-parameter': { type: 'string' },
      probe: { type: 'string', multiple: true },
      'min-days': { type: 'string' },
      'timeout-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  const catalogParameter = values['catalog-parameter'] ?? env.MESHGATE_CATALOG_PARAMETER ?? '';
  if (!values.help && !catalogParameter) throw new Error('--catalog-parameter is required');
  const probes = (values.probe ?? []).map(parseProbe);
  return {
    help: values.help ?? false,
    catalogParameter,
    probes,
    minDays: nonNegativeInteger(values['min-days'], '--min-days', DEFAULT_MIN_DAYS),
    timeoutMs: nonNegativeInteger(values['timeout-ms'], '--timeout-ms', DEFAULT_STEP_TIMEOUT_MS),
  };
}

function parseProbe(value: string): DoctorProbe {
  const colon = value.indexOf(':');
  const service = value.slice(0, colon);
  const path = value.slice(colon + 1);
  if (colon <= 0 || !path.startsWith('/')) throw new Error(`--probe must be SERVICE:/PATH, got "${value.slice(0, 80)}"`);
  return { service, path };
}

function nonNegativeInteger(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) throw new Error(`${flag} must be a whole number, got "${value.slice(0, 20)}"`);
  return number;
}
