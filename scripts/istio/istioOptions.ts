/** How the generated manifests are named and where they apply. */
export interface IstioOptions {
  /** Namespace of the ingress gateway workload (policies must live beside it). */
  namespace: string;
  /** Labels of the ingress gateway pods (Gateway `selector`, policies' `selector.matchLabels`). */
  selector: Record<string, string>;
  /** Kubernetes secret with tls.crt, tls.key and ca.crt (the CA of the invokers' client certificates). */
  credentialName: string;
  /** Prefix of every resource name. */
  name: string;
  /** Gateway server port; default: the port of the catalog's ingress.url (443). */
  gatewayPort?: number;
  /** Per identity: the `sub` its tokens carry, when not its clientId (e.g. Auth0 `id@clients`). */
  principals: Record<string, string>;
}

export const DEFAULT_ISTIO_OPTIONS: IstioOptions = {
  namespace: 'istio-system',
  selector: { istio: 'ingressgateway' },
  credentialName: 'meshgate-ingress',
  name: 'meshgate',
  principals: {},
};
