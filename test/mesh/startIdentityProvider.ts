import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import Provider, { errors } from 'oidc-provider';
import type { Configuration } from 'oidc-provider';
import { generateSigningJwk } from './generateSigningJwk.ts';
import { memoryAdapter } from './memoryAdapter.ts';
import type { SigningJwkPair } from './generateSigningJwk.ts';
import { trackConnections } from './trackConnections.ts';

/** Failures a test can switch on; `hang` accepts requests and never answers (a stuck IdP). */
export const IdpFailure = { Unavailable: 'unavailable', Hang: 'hang' } as const;
export type IdpFailure = (typeof IdpFailure)[keyof typeof IdpFailure];

export const IdpClientId = {
  Basic: 'meshgate-basic',
  Post: 'meshgate-post',
  Jwt: 'meshgate-jwt',
} as const;

export interface LocalIdentityProvider {
  /** `http://127.0.0.1:<port>`: the issuer identifier and base URL. */
  issuer: string;
  jwksUri: string;
  tokenEndpoint: string;
  /** Secrets of the two shared-secret clients. */
  clientSecrets: { basic: string; post: string };
  /** Private JWK (kid, alg ES256) of the private_key_jwt client `meshgate-jwt`. */
  jwtClientKey: SigningJwkPair['privateJwk'];
  /** Requests to the token endpoint, failed ones included. */
  readonly tokenRequests: number;
  /** Requests to the discovery document. */
  readonly discoveryRequests: number;
  setFailure(failure: IdpFailure | null): void;
  /**
   * Gives the client_secret_basic client a new secret (now `clientSecrets.basic`) while the previous
   * ones keep working, as IdPs that hold several client secrets allow during a rotation.
   */
  rotateBasicClientSecret(): string;
  /** Stops accepting one of the client_secret_basic client's secrets (the end of a rotation). */
  retireBasicClientSecret(secret: string): void;
  secrets(): string[];
  stop(): Promise<void>;
}

export interface IdentityProviderOptions {
  /** Audiences (RFC 8707 resources) tokens may be issued for; any other is `invalid_target`. */
  audiences: readonly string[];
  accessTokenTtlSeconds: number;
}

const clientScope = 'orders:read orders:write inventory:write';

/**
 * Starts `oidc-provider` on loopback over plain http (issuer `http://127.0.0.1:<port>`) as the stand-in
 * for the mesh's OIDC IdP: client_credentials only, RFC 8707 resource indicators, ES256 JWT access tokens.
 *
 * @example
 * const idp = await startIdentityProvider({ audiences: ['https://orders.mesh.local'], accessTokenTtlSeconds: 300 });
 * idp.setFailure('unavailable');
 */
export async function startIdentityProvider(options: IdentityProviderOptions): Promise<LocalIdentityProvider> {
  const [signingKey, jwtClientKey] = await Promise.all([generateSigningJwk('idp'), generateSigningJwk('meshgate-jwt')]);
  const clientSecrets = { basic: randomSecret(), post: randomSecret() };
  const audiences = new Set(options.audiences);

  let provider: Provider | undefined;
  let failure: IdpFailure | null = null;
  let tokenRequests = 0;
  let discoveryRequests = 0;
  const hanging = new Set<ServerResponse>();
  // oidc-provider knows one secret per client: the one it was configured with. Accepted secrets of
  // the basic client are translated to it, retired ones (that one included) to a wrong one.
  const configuredBasicSecret = clientSecrets.basic;
  const acceptedBasicSecrets = new Set([clientSecrets.basic]);
  const allBasicSecrets = [clientSecrets.basic];

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/token') {
      tokenRequests += 1;
      translateBasicSecret(req, configuredBasicSecret, acceptedBasicSecrets);
    }
    if (path === '/.well-known/openid-configuration') discoveryRequests += 1;
    if (failure === IdpFailure.Unavailable) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('service unavailable');
      return;
    }
    if (failure === IdpFailure.Hang || !provider) {
      hanging.add(res);
      res.once('close', () => hanging.delete(res));
      return;
    }
    void provider.callback()(req, res);
  });
  const tracked = trackConnections(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;

  const configuration: Configuration = {
    adapter: memoryAdapter(),
    clients: [
      client(IdpClientId.Basic, { client_secret: clientSecrets.basic, token_endpoint_auth_method: 'client_secret_basic' }),
      client(IdpClientId.Post, { client_secret: clientSecrets.post, token_endpoint_auth_method: 'client_secret_post' }),
      client(IdpClientId.Jwt, {
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: [jwtClientKey.publicJwk] },
      }),
    ],
    jwks: { keys: [signingKey.privateJwk] },
    cookies: { keys: [randomSecret()] },
    scopes: clientScope.split(' '),
    clientDefaults: { id_token_signed_response_alg: 'ES256' },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        getResourceServerInfo(_ctx, resourceIndicator) {
          if (!audiences.has(resourceIndicator)) throw new errors.InvalidTarget();
          return {
            audience: resourceIndicator,
            scope: clientScope,
            accessTokenFormat: 'jwt',
            accessTokenTTL: options.accessTokenTtlSeconds,
            jwt: { sign: { alg: 'ES256' } },
          };
        },
      },
    },
    ttl: { ClientCredentials: options.accessTokenTtlSeconds },
  };
  provider = new Provider(issuer, configuration);
  // Errors are answered to the client already; the provider's default is to print them all.
  provider.on('server_error', () => {});

  return {
    issuer,
    jwksUri: `${issuer}/jwks`,
    tokenEndpoint: `${issuer}/token`,
    clientSecrets,
    jwtClientKey: jwtClientKey.privateJwk,
    get tokenRequests() {
      return tokenRequests;
    },
    get discoveryRequests() {
      return discoveryRequests;
    },
    setFailure(next) {
      failure = next;
      if (next !== IdpFailure.Hang) {
        for (const res of hanging) res.destroy();
      }
    },
    rotateBasicClientSecret() {
      const next = randomSecret();
      acceptedBasicSecrets.add(next);
      allBasicSecrets.push(next);
      clientSecrets.basic = next;
      return next;
    },
    retireBasicClientSecret(secret) {
      acceptedBasicSecrets.delete(secret);
    },
    secrets: () => [...allBasicSecrets, clientSecrets.post, signingKey.privateJwk.d, jwtClientKey.privateJwk.d],
    async stop() {
      for (const res of hanging) res.destroy();
      await tracked.close();
    },
  };
}

function client(clientId: string, metadata: Record<string, unknown>) {
  return {
    client_id: clientId,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    scope: clientScope,
    ...metadata,
  };
}

/** Rewrites a client_secret_basic Authorization header for the basic client (see rotateBasicClientSecret). */
function translateBasicSecret(req: IncomingMessage, configured: string, accepted: ReadonlySet<string>): void {
  const encoded = /^Basic\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
  if (!encoded) return;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return;
  let clientId: string;
  let presented: string;
  try {
    [clientId, presented] = [decoded.slice(0, colon), decoded.slice(colon + 1)].map((text) => decodeURIComponent(text.replace(/\+/g, ' '))) as [string, string];
  } catch {
    return; // malformed: oidc-provider answers it itself
  }
  if (clientId !== IdpClientId.Basic) return;
  const secret = accepted.has(presented) ? configured : 'retired-secret';
  const pair = `${encodeURIComponent(IdpClientId.Basic)}:${encodeURIComponent(secret)}`;
  req.headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
}

function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}
