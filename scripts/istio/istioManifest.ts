/** The subset of Istio's CRDs meshgate generates (networking.istio.io/v1, security.istio.io/v1). */
export interface IstioMetadata {
  name: string;
  namespace: string;
  labels: Record<string, string>;
}

export interface GatewayManifest {
  apiVersion: 'networking.istio.io/v1';
  kind: 'Gateway';
  metadata: IstioMetadata;
  spec: {
    selector: Record<string, string>;
    servers: Array<{
      port: { number: number; name: string; protocol: 'HTTPS' };
      hosts: string[];
      tls: { mode: 'MUTUAL'; credentialName: string; minProtocolVersion: 'TLSV1_2' };
    }>;
  };
}

export interface JwtRule {
  issuer: string;
  audiences: string[];
  jwksUri?: string;
  /** A JWKS document as a JSON string (public keys only). */
  jwks?: string;
}

export interface RequestAuthenticationManifest {
  apiVersion: 'security.istio.io/v1';
  kind: 'RequestAuthentication';
  metadata: IstioMetadata;
  spec: { selector: { matchLabels: Record<string, string> }; jwtRules: JwtRule[] };
}

export interface AuthorizationRule {
  from: Array<{ source: { requestPrincipals: string[] } }>;
  to: Array<{ operation: { hosts: string[]; methods: string[]; paths?: string[] } }>;
  when: Array<{ key: string; values: string[] }>;
}

export interface AuthorizationPolicyManifest {
  apiVersion: 'security.istio.io/v1';
  kind: 'AuthorizationPolicy';
  metadata: IstioMetadata;
  spec: { selector: { matchLabels: Record<string, string> }; action: 'ALLOW'; rules: AuthorizationRule[] };
}

export type IstioManifest = GatewayManifest | RequestAuthenticationManifest | AuthorizationPolicyManifest;
