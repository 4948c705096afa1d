import { ConfigError } from '../errors/meshErrors.ts';
import type { Catalog, IdentityConfig, OidcConfig, ServiceConfig } from './catalogTypes.ts';

const SERVICE_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const AUTHORITY = /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?(:\d{1,5})?$/;
const HTTP_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);
const AUTH_METHODS = new Set(['client_secret_basic', 'client_secret_post', 'private_key_jwt']);
/**
 * The most output a service entry may allow: 250 KiB leaves 6 KiB of Step Functions' 256 KiB for the
 * lambda:invoke envelope (StatusCode, SdkHttpMetadata, ...), so an allowed output never fails later
 * as States.DataLimitExceeded.
 */
const MAX_OUTPUT_BYTES = 250 * 1024;
const PARAMETER_NAME = /^\/?[A-Za-z0-9_.\-/]{1,2047}$/;
const IDENTIFIER = '[A-Za-z_][A-Za-z0-9_]*';
/** An rpcs entry: what a task's `rpc` is (parseGrpcTask), or a whole gRPC service with `/*`. */
const RPC_PATTERN = new RegExp(`^(?:${IDENTIFIER}\\.)*${IDENTIFIER}/(?:${IDENTIFIER}|\\*)$`);
const MAX_RPC_LENGTH = 512;

/**
 * Validates the catalog JSON once per version, so every later step can trust its shape.
 * Any defect is `Mesh.ConfigError` naming the exact field.
 *
 * @example
 * const catalog = parseCatalog(await readCatalogParameter());
 */
export function parseCatalog(text: string): Catalog {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError('Catalog is not valid JSON', { cause: error });
  }
  const root = record(raw, 'catalog');
  const ingress = record(root.ingress, 'ingress');
  const url = string(ingress.url, 'ingress.url');
  let parsedUrl: URL;
  try {
    parsedUrl = new URL(url);
  } catch {
    throw new ConfigError('Catalog field ingress.url is not a URL');
  }
  if (parsedUrl.protocol !== 'https:' || parsedUrl.pathname !== '/' || parsedUrl.search || parsedUrl.username) {
    throw new ConfigError('Catalog field ingress.url must be https://host[:port] with no path, query or credentials');
  }
  const catalog: Catalog = {
    ingress: { url: parsedUrl.origin, caParameter: parameter(ingress.caParameter, 'ingress.caParameter') },
    identities: {},
    services: {},
  };
  for (const [name, value] of Object.entries(record(root.identities, 'identities'))) {
    catalog.identities[name] = parseIdentity(value, `identities.${name}`);
  }
  for (const [name, value] of Object.entries(record(root.services, 'services'))) {
    if (!SERVICE_NAME.test(name)) throw new ConfigError(`Catalog service name "${name.slice(0, 64)}" is not valid`);
    const service = parseService(value, `services.${name}`);
    if (!Object.hasOwn(catalog.identities, service.identity)) {
      throw new ConfigError(`Catalog field services.${name}.identity names unknown identity "${service.identity}"`);
    }
    catalog.services[name] = service;
  }
  return catalog;
}

function parseIdentity(value: unknown, at: string): IdentityConfig {
  const identity = record(value, at);
  const tls = record(identity.tls, `${at}.tls`);
  return {
    tls: {
      certParameter: parameter(tls.certParameter, `${at}.tls.certParameter`),
      keyParameter: parameter(tls.keyParameter, `${at}.tls.keyParameter`),
    },
    oidc: parseOidc(identity.oidc, `${at}.oidc`),
  };
}

function parseOidc(value: unknown, at: string): OidcConfig {
  const oidc = record(value, at);
  const issuer = string(oidc.issuer, `${at}.issuer`);
  const clientId = string(oidc.clientId, `${at}.clientId`);
  const secretParameter = parameter(oidc.secretParameter, `${at}.secretParameter`);
  if (oidc.mode === 'self_signed') {
    const lifetimeSeconds = optionalInteger(oidc.lifetimeSeconds, `${at}.lifetimeSeconds`, 10, 300);
    return { mode: 'self_signed', issuer, clientId, secretParameter, ...(lifetimeSeconds ? { lifetimeSeconds } : {}) };
  }
  if (oidc.mode !== 'client_credentials') {
    throw new ConfigError(`Catalog field ${at}.mode must be "client_credentials" or "self_signed"`);
  }
  if (!/^https?:\/\//.test(issuer)) throw new ConfigError(`Catalog field ${at}.issuer must be an http(s) URL`);
  const auth = string(oidc.auth, `${at}.auth`);
  if (!AUTH_METHODS.has(auth)) {
    throw new ConfigError(`Catalog field ${at}.auth must be one of ${[...AUTH_METHODS].join(', ')}`);
  }
  const audienceParam = oidc.audienceParam ?? 'resource';
  if (audienceParam !== 'resource' && audienceParam !== 'audience') {
    throw new ConfigError(`Catalog field ${at}.audienceParam must be "resource" or "audience"`);
  }
  return {
    mode: 'client_credentials',
    issuer,
    clientId,
    auth: auth as 'client_secret_basic',
    secretParameter,
    audienceParam,
  };
}

function parseService(value: unknown, at: string): ServiceConfig {
  const service = record(value, at);
  const authority = string(service.authority, `${at}.authority`).toLowerCase();
  if (!AUTHORITY.test(authority)) throw new ConfigError(`Catalog field ${at}.authority is not a host name`);
  const protocol = service.protocol ?? 'http';
  if (protocol !== 'http' && protocol !== 'grpc') throw new ConfigError(`Catalog field ${at}.protocol must be "http" or "grpc"`);
  const parsed: ServiceConfig = {
    authority,
    audience: string(service.audience, `${at}.audience`),
    identity: string(service.identity, `${at}.identity`),
    protocol,
  };
  if (service.scope !== undefined) parsed.scope = string(service.scope, `${at}.scope`);
  const timeoutMs = optionalInteger(service.timeoutMs, `${at}.timeoutMs`, 1, 900_000);
  if (timeoutMs) parsed.timeoutMs = timeoutMs;
  const maxResponseBytes = optionalInteger(service.maxResponseBytes, `${at}.maxResponseBytes`, 1, 64 * 1024 * 1024);
  if (maxResponseBytes) parsed.maxResponseBytes = maxResponseBytes;
  const maxOutputBytes = optionalInteger(service.maxOutputBytes, `${at}.maxOutputBytes`, 1, MAX_OUTPUT_BYTES);
  if (maxOutputBytes) parsed.maxOutputBytes = maxOutputBytes;
  if (service.responseHeaders !== undefined) {
    parsed.responseHeaders = stringList(service.responseHeaders, `${at}.responseHeaders`).map((h) => h.toLowerCase());
  }
  if (protocol === 'http') {
    // An allow-list the invoker would never apply must not look like it protects anything.
    if (service.rpcs !== undefined) throw new ConfigError(`Catalog field ${at}.rpcs is for gRPC services only (protocol: "grpc")`);
    const methods = stringList(service.methods, `${at}.methods`);
    for (const method of methods) {
      if (!HTTP_METHODS.has(method)) throw new ConfigError(`Catalog field ${at}.methods has unknown method "${method.slice(0, 16)}"`);
    }
    parsed.methods = methods as ServiceConfig['methods'];
    const paths = stringList(service.paths, `${at}.paths`);
    for (const path of paths) {
      if (!path.startsWith('/') || path.includes('..') || /[?#\\\s]/.test(path)) {
        throw new ConfigError(`Catalog field ${at}.paths has invalid prefix "${path.slice(0, 64)}"`);
      }
    }
    parsed.paths = paths;
  } else {
    if (service.descriptorParameter !== undefined) {
      parsed.descriptorParameter = parameter(service.descriptorParameter, `${at}.descriptorParameter`);
    }
    if (service.reflection !== undefined) {
      if (typeof service.reflection !== 'boolean') throw new ConfigError(`Catalog field ${at}.reflection must be a boolean`);
      parsed.reflection = service.reflection;
    }
    if (!parsed.descriptorParameter && !parsed.reflection) {
      throw new ConfigError(`Catalog field ${at} needs descriptorParameter or reflection: true`);
    }
    // Two schema sources could disagree; the entry must say which one is the truth.
    if (parsed.descriptorParameter && parsed.reflection) {
      throw new ConfigError(`Catalog field ${at} sets both descriptorParameter and reflection: true; choose one`);
    }
    if (service.responseMetadata !== undefined) {
      parsed.responseMetadata = stringList(service.responseMetadata, `${at}.responseMetadata`).map((m) => m.toLowerCase());
    }
    if (service.rpcs !== undefined) {
      const rpcs = stringList(service.rpcs, `${at}.rpcs`);
      for (const rpc of rpcs) {
        if (rpc.length > MAX_RPC_LENGTH || !RPC_PATTERN.test(rpc)) {
          throw new ConfigError(`Catalog field ${at}.rpcs has "${rpc.slice(0, 64)}"; use "package.Service/Method" or "package.Service/*"`);
        }
      }
      parsed.rpcs = rpcs;
    }
  }
  return parsed;
}

function record(value: unknown, at: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(`Catalog field ${at} must be an object`);
  }
  return value as Record<string, unknown>;
}

function string(value: unknown, at: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new ConfigError(`Catalog field ${at} must be a non-empty string`);
  return value;
}

function parameter(value: unknown, at: string): string {
  const name = string(value, at);
  if (!PARAMETER_NAME.test(name)) throw new ConfigError(`Catalog field ${at} is not an SSM parameter name`);
  return name;
}

function stringList(value: unknown, at: string): string[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string' && v.length > 0)) {
    throw new ConfigError(`Catalog field ${at} must be a non-empty list of strings`);
  }
  return value as string[];
}

function optionalInteger(value: unknown, at: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    throw new ConfigError(`Catalog field ${at} must be an integer from ${min} to ${max}`);
  }
  return value as number;
}
