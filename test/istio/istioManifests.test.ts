import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Ajv } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseCatalog } from '../../shared/catalog/parseCatalog.ts';
import { buildIstioManifests } from '../../scripts/istio/buildIstioManifests.ts';
import { generateIstio } from '../../scripts/istio/generateIstio.ts';
import type { AuthorizationPolicyManifest, GatewayManifest, IstioManifest, RequestAuthenticationManifest } from '../../scripts/istio/istioManifest.ts';
import { parseIstioArgs } from '../../scripts/istio/parseIstioArgs.ts';
import { publicJwk } from '../../scripts/istio/publicJwk.ts';
import { isAllowed } from './evaluateIstioPolicies.ts';
import { authorizationPolicySchema, gatewaySchema, requestAuthenticationSchema } from './istioShapes.ts';

const exampleCatalogFile = 'infra/catalog.example.json';
const exampleArgs = [
  '--catalog',
  exampleCatalogFile,
  '--public-jwk',
  'self-signed=infra/istio/self-signed.public.jwk.json',
  '--jwks-uri',
  'https://idp.example.com=https://idp.example.com/.well-known/jwks.json',
];
const exampleJwk = JSON.parse(readFileSync('infra/istio/self-signed.public.jwk.json', 'utf8'));

const ajv = new Ajv({ allErrors: true, strict: false });
const validators = {
  Gateway: ajv.compile(gatewaySchema),
  RequestAuthentication: ajv.compile(requestAuthenticationSchema),
  AuthorizationPolicy: ajv.compile(authorizationPolicySchema),
};

/** Parses the YAML stream back, as kubectl would, and checks each document against its CRD shape. */
function parseManifests(yaml: string): IstioManifest[] {
  const documents = parseAllDocuments(yaml);
  return documents.map((document) => {
    expect(document.errors).toEqual([]);
    const manifest = document.toJS() as IstioManifest;
    const validate = validators[manifest.kind];
    expect(validate(manifest), JSON.stringify(validate.errors)).toBe(true);
    return manifest;
  });
}

async function generateExample(): Promise<string> {
  const command = parseIstioArgs(exampleArgs);
  return generateIstio(command.source, command.options, command.keySources);
}

describe('Script: istio (manifests from the catalog)', () => {
  it('generates a Gateway with tls MUTUAL, credentialName and every service host', async () => {
    // Act
    const manifests = parseManifests(await generateExample());
    // Assess
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual([
      'Gateway/meshgate',
      'RequestAuthentication/meshgate-jwt',
      'AuthorizationPolicy/meshgate-inventory',
      'AuthorizationPolicy/meshgate-orders',
      'AuthorizationPolicy/meshgate-payments',
    ]);
    const gateway = manifests[0] as GatewayManifest;
    expect(gateway).toMatchObject({
      apiVersion: 'networking.istio.io/v1',
      metadata: { namespace: 'istio-system' },
      spec: { selector: { istio: 'ingressgateway' } },
    });
    expect(gateway.spec.servers).toEqual([
      {
        port: { number: 443, name: 'https-meshgate', protocol: 'HTTPS' },
        hosts: ['inventory.mesh.example.com', 'orders.mesh.example.com', 'payments.mesh.example.com'],
        tls: { mode: 'MUTUAL', credentialName: 'meshgate-ingress', minProtocolVersion: 'TLSV1_2' },
      },
    ]);
  });

  it('generates one JWT rule per issuer: jwksUri for the IdP, inline public jwks for self_signed, with their audiences', async () => {
    const manifests = parseManifests(await generateExample());
    const authn = manifests.find((m): m is RequestAuthenticationManifest => m.kind === 'RequestAuthentication')!;
    expect(authn.apiVersion).toBe('security.istio.io/v1');
    expect(authn.spec.selector).toEqual({ matchLabels: { istio: 'ingressgateway' } });
    expect(authn.spec.jwtRules).toEqual([
      {
        issuer: 'https://idp.example.com',
        audiences: ['https://inventory.mesh.example.com', 'https://orders.mesh.example.com'],
        jwksUri: 'https://idp.example.com/.well-known/jwks.json',
      },
      {
        issuer: 'https://meshgate.example.com/self-signed',
        audiences: ['https://payments.mesh.example.com'],
        jwks: expect.any(String),
      },
    ]);
    expect(JSON.parse(authn.spec.jwtRules[1]!.jwks!)).toEqual({ keys: [exampleJwk] });
  });

  it('generates an ALLOW policy per service with its principal, host, methods, path prefixes and audience', async () => {
    const manifests = parseManifests(await generateExample());
    const policies = manifests.filter((m): m is AuthorizationPolicyManifest => m.kind === 'AuthorizationPolicy');
    const orders = policies.find((p) => p.metadata.name === 'meshgate-orders')!;
    expect(orders.spec).toEqual({
      selector: { matchLabels: { istio: 'ingressgateway' } },
      action: 'ALLOW',
      rules: [
        {
          from: [{ source: { requestPrincipals: ['https://idp.example.com/step-functions'] } }],
          to: [{ operation: { hosts: ['orders.mesh.example.com'], methods: ['GET', 'POST'], paths: ['/v1/orders', '/v1/orders/*'] } }],
          when: [{ key: 'request.auth.audiences', values: ['https://orders.mesh.example.com'] }],
        },
      ],
    });
    const inventory = policies.find((p) => p.metadata.name === 'meshgate-inventory')!;
    expect(inventory.spec.rules[0]!.to).toEqual([
      {
        operation: {
          hosts: ['inventory.mesh.example.com'],
          methods: ['POST'],
          paths: ['/inventory.v1.Inventory/Reserve', '/inventory.v1.StockLevels/*'],
        },
      },
    ]);
    const payments = policies.find((p) => p.metadata.name === 'meshgate-payments')!;
    expect(payments.spec.rules[0]!.from[0]!.source.requestPrincipals).toEqual(['https://meshgate.example.com/self-signed/step-functions']);
  });

  it('allows what the catalog allows and nothing next to it (prefixes on segment boundaries, audience bound to host)', async () => {
    const policies = parseManifests(await generateExample()).filter((m): m is AuthorizationPolicyManifest => m.kind === 'AuthorizationPolicy');
    const orders = { principal: 'https://idp.example.com/step-functions', audiences: ['https://orders.mesh.example.com'], host: 'orders.mesh.example.com' };
    expect(isAllowed(policies, { ...orders, method: 'GET', path: '/v1/orders' })).toBe(true);
    expect(isAllowed(policies, { ...orders, method: 'POST', path: '/v1/orders/A-17/confirm' })).toBe(true);
    expect(isAllowed(policies, { ...orders, method: 'GET', path: '/v1/ordersX' })).toBe(false);
    expect(isAllowed(policies, { ...orders, method: 'DELETE', path: '/v1/orders/7' })).toBe(false);
    // A token minted for inventory (same principal) opens nothing on orders.
    expect(isAllowed(policies, { ...orders, audiences: ['https://inventory.mesh.example.com'], method: 'GET', path: '/v1/orders/7' })).toBe(false);
    expect(isAllowed(policies, { ...orders, principal: 'https://idp.example.com/someone-else', method: 'GET', path: '/v1/orders/7' })).toBe(false);
  });

  it("narrows a gRPC service to its rpcs, reflection included when the schema comes from it, and to POST only", () => {
    // Prepare: the example's inventory entry (descriptor set, rpcs), and variants by reflection, with and without rpcs.
    const catalog = parseCatalog(readFileSync(exampleCatalogFile, 'utf8'));
    const { descriptorParameter: _descriptor, ...inventory } = catalog.services.inventory!;
    catalog.services['inventory-reflection'] = { ...inventory, authority: 'inventory-reflection.mesh.example.com', reflection: true };
    const { rpcs: _rpcs, ...anyRpc } = catalog.services['inventory-reflection'];
    catalog.services['inventory-any'] = { ...anyRpc, authority: 'inventory-any.mesh.example.com' };
    const policies = buildIstioManifests(catalog, parseIstioArgs(exampleArgs).options, {}).filter(
      (m): m is AuthorizationPolicyManifest => m.kind === 'AuthorizationPolicy',
    );
    for (const policy of policies) expect(validators.AuthorizationPolicy(policy), policy.metadata.name).toBe(true);
    const call = (host: string, path: string, method = 'POST') =>
      isAllowed(policies, { principal: 'https://idp.example.com/step-functions', audiences: ['https://inventory.mesh.example.com'], host, method, path });
    const reflection = '/grpc.reflection.v1.ServerReflection/ServerReflectionInfo';

    // Assess
    expect(policies.find((p) => p.metadata.name === 'meshgate-inventory-reflection')!.spec.rules[0]!.to[0]!.operation.paths).toEqual([
      '/inventory.v1.Inventory/Reserve',
      '/inventory.v1.StockLevels/*',
      reflection,
      '/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo',
    ]);
    expect(policies.find((p) => p.metadata.name === 'meshgate-inventory-any')!.spec.rules[0]!.to[0]!.operation.paths).toBeUndefined();
    for (const host of ['inventory.mesh.example.com', 'inventory-reflection.mesh.example.com']) {
      expect(call(host, '/inventory.v1.Inventory/Reserve'), host).toBe(true);
      expect(call(host, '/inventory.v1.StockLevels/Get'), host).toBe(true);
      expect(call(host, '/inventory.v1.Inventory/Cancel'), host).toBe(false);
      expect(call(host, '/inventory.v1.StockLevelsAdmin/Get'), host).toBe(false);
      expect(call(host, '/inventory.v1.Inventory/Reserve', 'GET'), host).toBe(false);
    }
    expect(call('inventory.mesh.example.com', reflection)).toBe(false);
    expect(call('inventory-reflection.mesh.example.com', reflection)).toBe(true);
    expect(call('inventory-any.mesh.example.com', '/inventory.v1.Inventory/Cancel')).toBe(true);
  });

  it('checks shapes strictly enough to catch a wrong enum, an invented field or a missing host', async () => {
    const [gateway, authn] = parseManifests(await generateExample()) as [GatewayManifest, RequestAuthenticationManifest];
    const wrongMode = structuredClone(gateway);
    (wrongMode.spec.servers[0]!.tls as { mode: string }).mode = 'MUTUAL_TLS';
    const noHosts = structuredClone(gateway);
    noHosts.spec.servers[0]!.hosts = [];
    const invented = structuredClone(authn);
    (invented.spec.jwtRules[0] as unknown as Record<string, unknown>).jwksUrl = 'https://idp.example.com/jwks';
    const both = structuredClone(authn);
    both.spec.jwtRules[1]!.jwksUri = 'https://idp.example.com/jwks';
    expect([wrongMode, noHosts].map((m) => validators.Gateway(m))).toEqual([false, false]);
    expect([invented, both].map((m) => validators.RequestAuthentication(m))).toEqual([false, false]);
  });

  it('is the committed example under infra/istio/', async () => {
    expect(await generateExample()).toBe(readFileSync('infra/istio/meshgate.yaml', 'utf8'));
  });

  it('applies the naming options and --principal', () => {
    // Prepare
    const catalog = parseCatalog(readFileSync(exampleCatalogFile, 'utf8'));
    const command = parseIstioArgs([
      '--catalog', exampleCatalogFile, '--namespace', 'mesh-gw', '--selector', 'app=meshgate-gw', '--credential-name', 'gw-cred',
      '--name', 'mg', '--gateway-port', '8443', '--principal', 'default=step-functions@clients',
    ]);
    // Act
    const manifests = buildIstioManifests(catalog, command.options, {});
    // Assess
    for (const manifest of manifests) expect(validators[manifest.kind](manifest)).toBe(true);
    const [gateway, authn, ...policies] = manifests as [GatewayManifest, RequestAuthenticationManifest, ...AuthorizationPolicyManifest[]];
    expect(gateway.metadata).toMatchObject({ name: 'mg', namespace: 'mesh-gw' });
    expect(gateway.spec.selector).toEqual({ app: 'meshgate-gw' });
    expect(gateway.spec.servers[0]).toMatchObject({ port: { number: 8443, name: 'https-mg' }, tls: { credentialName: 'gw-cred' } });
    // No key source given: the rule carries neither (Istio discovers jwks_uri from the issuer).
    expect(authn.spec.jwtRules[0]).toEqual({ issuer: 'https://idp.example.com', audiences: expect.any(Array) });
    expect(policies.find((p) => p.metadata.name === 'mg-orders')!.spec.rules[0]!.from[0]!.source.requestPrincipals).toEqual([
      'https://idp.example.com/step-functions@clients',
    ]);
  });

  it('publishes only the public members of a JWK', () => {
    const privateJwk = { ...exampleJwk, d: 'private-scalar', p: 'p', q: 'q', dp: 'dp', dq: 'dq', qi: 'qi', k: 'k', oth: [] };
    expect(publicJwk(privateJwk, 'test')).toEqual(exampleJwk);
    expect(() => publicJwk({ kty: 'oct', k: 'c2VjcmV0', kid: 'hmac' }, 'test')).toThrow('has no public half');
    expect(() => publicJwk({ kty: 'EC', crv: 'P-256', x: 'x', y: 'y' }, 'test')).toThrow('no "kid"');
  });

  describe('command line', () => {
    const run = (args: string[]) =>
      promisify(execFile)('npx', ['node', 'scripts/istio.ts', ...args]).then(
        ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
        (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
      );

    it('writes the YAML to --out; exits 1 naming a catalog problem, 2 with the usage for a wrong command line', async () => {
      // Prepare
      const dir = mkdtempSync(join(tmpdir(), 'meshgate-istio-'));
      const out = join(dir, 'meshgate.yaml');
      writeFileSync(join(dir, 'catalog.json'), '{"ingress": {}}');
      // Act
      const [written, broken, wrong] = await Promise.all([
        run([...exampleArgs, '--out', out]),
        run(['--catalog', join(dir, 'catalog.json'), '--no-discovery']),
        run(['--catalog']),
      ]);
      // Assess
      expect(written.code).toBe(0);
      expect(readFileSync(out, 'utf8')).toBe(readFileSync('infra/istio/meshgate.yaml', 'utf8'));
      expect(broken.code).toBe(1);
      expect(broken.stderr).toBe('npm run istio: Mesh.ConfigError: Catalog field ingress.url must be a non-empty string\n');
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toContain('usage: npm run istio');
    });
  });
});
