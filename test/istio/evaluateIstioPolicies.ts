import type { AuthorizationPolicyManifest } from '../../scripts/istio/istioManifest.ts';

/** What Envoy knows about a request once RequestAuthentication has verified its token. */
export interface VerifiedRequest {
  /** `iss/sub` of the verified token. */
  principal: string;
  audiences: string[];
  host: string;
  method: string;
  path: string;
}

/**
 * A small model of Istio's ALLOW evaluation for the fields meshgate generates: a request is
 * allowed when some rule of some policy matches it in every field it sets (values match exactly,
 * or by a leading or trailing `*`). For tests: it checks the generated policies against real
 * tokens and requests; it is not Istio.
 *
 * @example
 * isAllowed(policies, { principal: 'https://idp/step-functions', audiences: ['https://orders'], host, method: 'GET', path: '/v1/orders/7' })
 */
export function isAllowed(policies: readonly AuthorizationPolicyManifest[], request: VerifiedRequest): boolean {
  return policies.some((policy) =>
    policy.spec.rules.some(
      (rule) =>
        rule.from.some((from) => matchesAny(from.source.requestPrincipals, request.principal)) &&
        rule.to.some(
          ({ operation }) =>
            matchesAny(operation.hosts, request.host) &&
            matchesAny(operation.methods, request.method) &&
            (operation.paths === undefined || matchesAny(operation.paths, request.path)),
        ) &&
        rule.when.every((condition) => condition.key === 'request.auth.audiences' && request.audiences.some((aud) => condition.values.includes(aud))),
    ),
  );
}

function matchesAny(patterns: readonly string[], value: string): boolean {
  return patterns.some((pattern) => {
    if (pattern === '*') return true;
    if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
    if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
    return value === pattern;
  });
}
