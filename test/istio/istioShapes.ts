/**
 * JSON Schemas for the parts of Istio's CRDs meshgate generates: Gateway (networking.istio.io/v1),
 * RequestAuthentication and AuthorizationPolicy (security.istio.io/v1). Written from the field
 * lists of Istio's API (istio/api: networking/v1alpha3/gateway.proto, security/v1/*.proto), with
 * `additionalProperties: false` so that a misspelt or invented field fails, as the API server's
 * structural schema would prune or reject it. Not the full CRDs: only what a generated manifest may use.
 */
const stringList = { type: 'array', items: { type: 'string', minLength: 1 } } as const;
const labels = { type: 'object', additionalProperties: { type: 'string', maxLength: 63 } } as const;
const workloadSelector = {
  type: 'object',
  additionalProperties: false,
  properties: { matchLabels: labels },
} as const;
// Istio allows '*' only as a whole value, a prefix or a suffix in these match lists.
const matchList = { type: 'array', items: { type: 'string', pattern: '^(\\*|\\*?[^*]+|[^*]+\\*)$' } } as const;

const metadata = {
  type: 'object',
  required: ['name', 'namespace'],
  additionalProperties: false,
  properties: {
    // DNS-1123 subdomain / label, as Kubernetes requires.
    name: { type: 'string', maxLength: 253, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$' },
    namespace: { type: 'string', maxLength: 63, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' },
    labels,
  },
} as const;

function resource(apiVersion: string, kind: string, spec: object): object {
  return {
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    additionalProperties: false,
    properties: { apiVersion: { const: apiVersion }, kind: { const: kind }, metadata, spec },
  };
}

export const gatewaySchema = resource('networking.istio.io/v1', 'Gateway', {
  type: 'object',
  required: ['servers'],
  additionalProperties: false,
  properties: {
    selector: labels,
    servers: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['port', 'hosts'],
        additionalProperties: false,
        properties: {
          port: {
            type: 'object',
            required: ['number', 'protocol', 'name'],
            additionalProperties: false,
            properties: {
              number: { type: 'integer', minimum: 1, maximum: 65535 },
              protocol: { enum: ['HTTP', 'HTTPS', 'GRPC', 'HTTP2', 'MONGO', 'TCP', 'TLS'] },
              name: { type: 'string', minLength: 1 },
              targetPort: { type: 'integer' },
            },
          },
          bind: { type: 'string' },
          hosts: { ...stringList, minItems: 1 },
          name: { type: 'string' },
          tls: {
            type: 'object',
            additionalProperties: false,
            properties: {
              httpsRedirect: { type: 'boolean' },
              mode: { enum: ['PASSTHROUGH', 'SIMPLE', 'MUTUAL', 'AUTO_PASSTHROUGH', 'ISTIO_MUTUAL', 'OPTIONAL_MUTUAL'] },
              serverCertificate: { type: 'string' },
              privateKey: { type: 'string' },
              caCertificates: { type: 'string' },
              caCrl: { type: 'string' },
              credentialName: { type: 'string' },
              credentialNames: stringList,
              subjectAltNames: stringList,
              verifyCertificateSpki: stringList,
              verifyCertificateHash: stringList,
              minProtocolVersion: { enum: ['TLS_AUTO', 'TLSV1_0', 'TLSV1_1', 'TLSV1_2', 'TLSV1_3'] },
              maxProtocolVersion: { enum: ['TLS_AUTO', 'TLSV1_0', 'TLSV1_1', 'TLSV1_2', 'TLSV1_3'] },
              cipherSuites: stringList,
            },
          },
        },
      },
    },
  },
});

export const requestAuthenticationSchema = resource('security.istio.io/v1', 'RequestAuthentication', {
  type: 'object',
  additionalProperties: false,
  properties: {
    selector: workloadSelector,
    jwtRules: {
      type: 'array',
      items: {
        type: 'object',
        required: ['issuer'],
        additionalProperties: false,
        // "Only one of jwksUri and jwks should be used."
        not: { required: ['jwks', 'jwksUri'] },
        properties: {
          issuer: { type: 'string', minLength: 1 },
          audiences: stringList,
          jwksUri: { type: 'string', pattern: '^https?://' },
          jwks: { type: 'string' },
          fromHeaders: { type: 'array' },
          fromParams: stringList,
          fromCookies: stringList,
          outputPayloadToHeader: { type: 'string' },
          forwardOriginalToken: { type: 'boolean' },
          outputClaimToHeaders: { type: 'array' },
          timeout: { type: 'string' },
          failureMode: { enum: ['PERMISSIVE', 'IGNORE', 'STRICT'] },
        },
      },
    },
  },
});

export const authorizationPolicySchema = resource('security.istio.io/v1', 'AuthorizationPolicy', {
  type: 'object',
  additionalProperties: false,
  properties: {
    selector: workloadSelector,
    action: { enum: ['ALLOW', 'DENY', 'AUDIT', 'CUSTOM'] },
    rules: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          from: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              properties: {
                source: {
                  type: 'object',
                  additionalProperties: false,
                  properties: Object.fromEntries(
                    ['principals', 'requestPrincipals', 'namespaces', 'serviceAccounts', 'ipBlocks', 'remoteIpBlocks'].flatMap((name) => [
                      [name, matchList],
                      [`not${name[0]!.toUpperCase()}${name.slice(1)}`, matchList],
                    ]),
                  ),
                },
              },
            },
          },
          to: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              properties: {
                operation: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    hosts: matchList,
                    notHosts: matchList,
                    ports: stringList,
                    notPorts: stringList,
                    methods: { type: 'array', items: { enum: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'CONNECT', 'TRACE'] } },
                    notMethods: stringList,
                    paths: matchList,
                    notPaths: matchList,
                  },
                },
              },
            },
          },
          when: {
            type: 'array',
            items: {
              type: 'object',
              required: ['key'],
              additionalProperties: false,
              properties: { key: { type: 'string', minLength: 1 }, values: stringList, notValues: stringList },
            },
          },
        },
      },
    },
  },
});
