/**
 * Size caps on task input. The input is already in memory, but every field is later copied,
 * encoded or sent; a cap turns absurd input into a clear Mesh.InvalidTask instead of slow work or
 * an ingress rejecting the request (Envoy refuses request headers over 60 KiB by default).
 */
export const TaskLimits = {
  maxPathTemplateLength: 2048,
  /** Encoded path plus query string. */
  maxTargetLength: 8192,
  maxPathParams: 32,
  maxPathParamLength: 1024,
  /** Key/value pairs after arrays are expanded into repeated keys. */
  maxQueryPairs: 100,
  maxQueryPartLength: 4096,
  maxHeaders: 50,
  maxHeaderNameLength: 128,
  maxHeaderValueLength: 8192,
  /** Names plus values of all task headers together, leaving room for the invoker's own (token). */
  maxHeaderBytes: 32768,
  maxContentTypeLength: 256,
  maxSelectLength: 1024,
  maxContextStringLength: 2048,
  /** How many rounds of percent-decoding a path is checked through (see assertSafePath). */
  maxDecodeDepth: 4,
  /** Longest piece of input echoed in an error message. */
  messageClipLength: 100,
} as const;
