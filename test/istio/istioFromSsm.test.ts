import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadIdentityCredentials } from '../../shared/credentials/loadIdentityCredentials.ts';
import { getAccessToken } from '../../shared/identity/getAccessToken.ts';
import { Deadline } from '../../shared/invoke/deadline.ts';
import { generateIstio } from '../../scripts/istio/generateIstio.ts';
import type { AuthorizationPolicyManifest, IstioManifest, RequestAuthenticationManifest } from '../../scripts/istio/istioManifest.ts';
import { DEFAULT_ISTIO_OPTIONS } from '../../scripts/istio/istioOptions.ts';
import { selfSignedIssuer } from '../mesh/localCatalog.ts';
import { startLocalMesh, type LocalMesh } from '../mesh/startLocalMesh.ts';
import { assertNoSecrets, registerSecrets } from '../support/findSecrets.ts';
import { isAllowed } from './evaluateIstioPolicies.ts';

let mesh: LocalMesh;
let yaml: string;
let manifests: IstioManifest[];

beforeAll(async () => {
  mesh = await startLocalMesh();
  Object.assign(process.env, mesh.env);
  registerSecrets(mesh.secrets());
  yaml = await generateIstio({ parameter: mesh.catalogParameter }, DEFAULT_ISTIO_OPTIONS, {
    jwksUris: {},
    publicJwkFiles: {},
    discovery: true,
    timeoutMs: 5_000,
  });
  manifests = parseAllDocuments(yaml).map((document) => document.toJS() as IstioManifest);
});

afterAll(async () => {
  await mesh?.stop();
});

describe('Script: istio (catalog and keys from SSM, against the local mesh)', () => {
  it('reads the catalog parameter, discovers the IdP jwksUri and derives the public JWKS of the self_signed key', () => {
    // Assess
    assertNoSecrets('generated manifests', yaml);
    expect(yaml).not.toMatch(/\\?"d\\?"\s*:/);
    const authn = manifests.find((m): m is RequestAuthenticationManifest => m.kind === 'RequestAuthentication')!;
    const idpRule = authn.spec.jwtRules.find((rule) => rule.issuer === mesh.idp.issuer)!;
    expect(idpRule.jwksUri).toBe(mesh.idp.jwksUri);
    const selfSignedRule = authn.spec.jwtRules.find((rule) => rule.issuer === selfSignedIssuer)!;
    expect(selfSignedRule.audiences).toEqual(['https://orders-selfsigned.mesh.local']);
    const [key, ...others] = (JSON.parse(selfSignedRule.jwks!) as { keys: Array<Record<string, unknown>> }).keys;
    expect(others).toEqual([]);
    expect(Object.keys(key!).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
  });

  it("accepts every service's real token at its own host and path, and only there", async () => {
    // Prepare
    const catalog = mesh.catalog;
    const authn = manifests.find((m): m is RequestAuthenticationManifest => m.kind === 'RequestAuthentication')!;
    const policies = manifests.filter((m): m is AuthorizationPolicyManifest => m.kind === 'AuthorizationPolicy');
    const gatewayHosts = manifests.find((m) => m.kind === 'Gateway')!.spec.servers[0]!.hosts;
    // Both gRPC cases are in the local catalog: an entry with rpcs and one without.
    expect([catalog.services.inventory?.rpcs, catalog.services['inventory-reflection']?.rpcs]).toEqual([['inventory.v1.Inventory/Reserve'], undefined]);
    for (const [name, service] of Object.entries(catalog.services)) {
      const deadline = new Deadline(Date.now() + 5_000);
      const identity = catalog.identities[service.identity]!;
      const credentials = await loadIdentityCredentials(catalog, service.identity, deadline);
      const token = await getAccessToken({ identityName: service.identity, identity, credentials, audience: service.audience, scope: service.scope, deadline });
      // Act: what RequestAuthentication does with the generated rule (issuer, keys, audiences).
      const rule = authn.spec.jwtRules.find((candidate) => candidate.issuer === identity.oidc.issuer)!;
      const keys: JWTVerifyGetKey = rule.jwks ? createLocalJWKSet(JSON.parse(rule.jwks)) : createRemoteJWKSet(new URL(rule.jwksUri!));
      const { payload } = await jwtVerify(token.value, keys, { issuer: rule.issuer, audience: rule.audiences });
      const request = {
        principal: `${payload.iss}/${payload.sub}`,
        audiences: ([] as string[]).concat(payload.aud ?? []),
        host: service.authority,
      };
      // Assess
      expect(gatewayHosts, name).toContain(service.authority);
      if (service.protocol === 'grpc') {
        expect(isAllowed(policies, { ...request, method: 'POST', path: '/inventory.v1.Inventory/Reserve' }), name).toBe(true);
        expect(isAllowed(policies, { ...request, method: 'GET', path: '/inventory.v1.Inventory/Reserve' }), name).toBe(false);
        // Outside the rpcs, when the entry lists them; without rpcs, whatever the schema has.
        expect(isAllowed(policies, { ...request, method: 'POST', path: '/inventory.v1.Inventory/WatchStock' }), name).toBe(!service.rpcs);
        continue;
      }
      const prefix = service.paths![0]!;
      expect(isAllowed(policies, { ...request, method: 'GET', path: `${prefix}/7` }), name).toBe(true);
      expect(isAllowed(policies, { ...request, method: 'GET', path: `${prefix}X` }), name).toBe(false);
      // The same token at another service's host is refused (principal or audience differ).
      const other = Object.values(catalog.services).find((candidate) => candidate.authority !== service.authority)!;
      expect(isAllowed(policies, { ...request, host: other.authority, method: 'GET', path: `${prefix}/7` }), name).toBe(false);
    }
  });
});
