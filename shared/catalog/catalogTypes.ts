/** The catalog held in the SSM parameter named by MESHGATE_CATALOG_PARAMETER (CONTRACT.md section 6). */

export const OidcAuth = {
  ClientSecretBasic: 'client_secret_basic',
  ClientSecretPost: 'client_secret_post',
  PrivateKeyJwt: 'private_key_jwt',
} as const;
export type OidcAuth = (typeof OidcAuth)[keyof typeof OidcAuth];

export interface ClientCredentialsOidc {
  mode: 'client_credentials';
  issuer: string;
  clientId: string;
  auth: OidcAuth;
  /** SecureString holding the client secret, or a private JWK (with `kid`) for private_key_jwt. */
  secretParameter: string;
  /** Form field that names the audience: RFC 8707 `resource` (default) or `audience`. */
  audienceParam?: 'resource' | 'audience';
}

export interface SelfSignedOidc {
  mode: 'self_signed';
  issuer: string;
  clientId: string;
  /** SecureString holding the private JWK (with `kid`) the invoker signs with. */
  secretParameter: string;
  /** Token lifetime in seconds; at most 300. */
  lifetimeSeconds?: number;
}

export type OidcConfig = ClientCredentialsOidc | SelfSignedOidc;

export interface IdentityConfig {
  tls: { certParameter: string; keyParameter: string };
  oidc: OidcConfig;
}

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ServiceConfig {
  authority: string;
  audience: string;
  scope?: string;
  identity: string;
  protocol: 'http' | 'grpc';
  /** HTTP: allowed methods (required for http). */
  methods?: HttpMethod[];
  /** HTTP: allowed path prefixes, matched on segment boundaries (required for http). */
  paths?: string[];
  timeoutMs?: number;
  maxResponseBytes?: number;
  maxOutputBytes?: number;
  /** Extra response headers (lower-case) copied to the output. */
  responseHeaders?: string[];
  /** gRPC: SSM parameter holding a base64 FileDescriptorSet. */
  descriptorParameter?: string;
  /** gRPC: use server reflection through the ingress. */
  reflection?: boolean;
  /** gRPC: extra response metadata keys copied to the output. */
  responseMetadata?: string[];
  /**
   * gRPC: the rpcs a task may call, `package.Service/Method` or `package.Service/*`. Without it any
   * unary rpc of the schema is allowed, which with `reflection: true` means whatever the server
   * reflects: set it for reflection services.
   */
  rpcs?: string[];
}

export interface Catalog {
  ingress: { url: string; caParameter: string };
  identities: Record<string, IdentityConfig>;
  services: Record<string, ServiceConfig>;
}
