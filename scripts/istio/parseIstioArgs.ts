import { parseArgs } from 'node:util';
import { DEFAULT_ISTIO_OPTIONS, type IstioOptions } from './istioOptions.ts';
import type { CatalogSource } from './loadCatalogSource.ts';
import type { KeySources } from './resolveIssuerKeys.ts';

export const ISTIO_USAGE = `usage: npm run istio -- (--catalog FILE | --catalog-parameter NAME) [options]

Generates the Istio side that accepts meshgate's calls (Gateway, RequestAuthentication,
AuthorizationPolicy per service) as multi-document YAML, from the catalog.

  --catalog FILE              catalog JSON file
  --catalog-parameter NAME    catalog SSM parameter (region, credentials, AWS_ENDPOINT_URL_SSM as usual)
  --out FILE                  write there instead of stdout
  --namespace NS              namespace of the ingress gateway (default ${DEFAULT_ISTIO_OPTIONS.namespace})
  --selector K=V              gateway pod label, repeatable (default istio=ingressgateway)
  --credential-name NAME      secret with tls.crt, tls.key, ca.crt (default ${DEFAULT_ISTIO_OPTIONS.credentialName})
  --name PREFIX               resource name prefix (default ${DEFAULT_ISTIO_OPTIONS.name})
  --gateway-port N            Gateway server port (default: ingress.url's port, 443)
  --principal IDENTITY=SUB    the sub claim of IDENTITY's tokens when it is not the clientId, repeatable
  --jwks-uri ISSUER=URL       JWKS URL of an IdP issuer, repeatable (default: from its discovery document)
  --no-discovery              leave jwksUri out for IdP issuers (Istio then discovers it itself)
  --public-jwk IDENTITY=FILE  public JWK (or JWKS) of a self_signed identity (default: derived from its SSM parameter)
`;

export interface IstioCommand {
  help: boolean;
  source: CatalogSource;
  out?: string;
  options: IstioOptions;
  keySources: KeySources;
}

/**
 * The generator's command line; throws an Error with a usage message when it is wrong.
 *
 * @example
 * parseIstioArgs(['--catalog', 'infra/catalog.example.json', '--no-discovery'])
 */
export function parseIstioArgs(args: string[]): IstioCommand {
  const { values } = parseArgs({
    args,
    options: {
      catalog: { type: 'string' },
      'catalog-parameter': { type: 'string' },
      out: { type: 'string' },
      namespace: { type: 'string' },
      selector: { type: 'string', multiple: true },
      'credential-name': { type: 'string' },
      name: { type: 'string' },
      'gateway-port': { type: 'string' },
      principal: { type: 'string', multiple: true },
      'jwks-uri': { type: 'string', multiple: true },
      'no-discovery': { type: 'boolean' },
      'public-jwk': { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  const help = values.help ?? false;
  if (!help && Boolean(values.catalog) === Boolean(values['catalog-parameter'])) {
    throw new Error('give exactly one of --catalog FILE and --catalog-parameter NAME');
  }
  const port = values['gateway-port'];
  if (port !== undefined && !/^\d{1,5}$/.test(port)) throw new Error(`--gateway-port must be a port number, got "${port.slice(0, 20)}"`);
  return {
    help,
    source: values.catalog ? { file: values.catalog } : { parameter: values['catalog-parameter'] ?? '' },
    ...(values.out ? { out: values.out } : {}),
    options: {
      namespace: values.namespace ?? DEFAULT_ISTIO_OPTIONS.namespace,
      selector: values.selector ? pairs(values.selector, '--selector', '=') : { ...DEFAULT_ISTIO_OPTIONS.selector },
      credentialName: values['credential-name'] ?? DEFAULT_ISTIO_OPTIONS.credentialName,
      name: values.name ?? DEFAULT_ISTIO_OPTIONS.name,
      ...(port ? { gatewayPort: Number(port) } : {}),
      principals: pairs(values.principal ?? [], '--principal', '='),
    },
    keySources: {
      // Split at the first '=': issuer URLs do not contain one.
      jwksUris: pairs(values['jwks-uri'] ?? [], '--jwks-uri', '='),
      publicJwkFiles: pairs(values['public-jwk'] ?? [], '--public-jwk', '='),
      discovery: !(values['no-discovery'] ?? false),
      timeoutMs: 10_000,
    },
  };
}

function pairs(items: string[], flag: string, separator: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const at = item.indexOf(separator);
    if (at <= 0 || at === item.length - 1) throw new Error(`${flag} must be KEY${separator}VALUE, got "${item.slice(0, 80)}"`);
    out[item.slice(0, at)] = item.slice(at + 1);
  }
  return out;
}
