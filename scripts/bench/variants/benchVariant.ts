/** The ways of making the same call that the warm benchmark puts side by side: three compared, two references. */
export const VariantName = {
  /**
   * A raw undici request over an already-open mTLS connection: the floor. It sends the very
   * headers the invoker sends (fresh ids per call, built outside the timed region), so both put
   * the same bytes on the wire and the difference is the invoker's own work.
   */
  Floor: 'floor',
  /** meshgate's HttpInvokerFunction bundle, called the way the Lambda runtime calls it. */
  Invoker: 'invoker',
  /** A typical hand-rolled handler: SSM GetParameters and a new mTLS connection on every call. */
  HandRolled: 'handRolled',
  /**
   * Reference: the floor again, in a process of its own. Floor ÷ floor again is what this run's
   * noise alone makes of a ratio (an A/A comparison), the yardstick for the ratios above.
   */
  FloorAgain: 'floorAgain',
  /**
   * Reference: the floor plus the invocation record the contract requires of every invocation
   * (formatted and written by the project's recordInvocation to a stdout piped as the invoker's
   * is), timed with the call. Its ratio to the floor is what the audit line alone costs.
   */
  FloorWithRecord: 'floorWithRecord',
} as const;
export type VariantName = (typeof VariantName)[keyof typeof VariantName];

/**
 * One variant. `prepare` builds what the caller would have before the call starts (Lambda parses
 * the event and builds the context outside the handler); only `run` is timed. `run` resolves to
 * the HTTP status the call ended with, once the whole response has been read.
 */
export interface BenchVariant<Prepared = unknown> {
  name: VariantName;
  prepare(): Prepared;
  run(prepared: Prepared): Promise<number>;
  close(): Promise<void>;
}

/** What every variant calls: the same ingress, authority, token audience and path. */
export interface BenchRoute {
  ingressUrl: string;
  authority: string;
  path: string;
  /** A valid bearer token for the route, fetched once (floor and hand-rolled handler). */
  token: string;
}

/** Where the hand-rolled handler reads its credentials (SSM parameter names). */
export interface BenchParameterNames {
  cert: string;
  key: string;
  ca: string;
}
