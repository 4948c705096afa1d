import type { SamTemplate } from './loadSamTemplate.ts';

/** What `sam local invoke` needs to know about one function of the template. */
export interface LocalFunctionConfig {
  logicalId: string;
  /** The esbuild entry point (Metadata.BuildProperties.EntryPoints[0]), relative to the template. */
  entryPoint: string;
  /** The export the Handler names (`index.handler` → `handler`). */
  exportName: string;
  handler: string;
  runtime: string;
  memorySize: number;
  timeoutSeconds: number;
  /** Globals then the function's own, intrinsics resolved to parameter defaults. */
  environment: Record<string, string>;
}

const PSEUDO_PARAMETERS: Record<string, string> = {
  'AWS::Region': 'us-east-1',
  'AWS::AccountId': '123456789012',
  'AWS::Partition': 'aws',
  'AWS::StackName': 'meshgate-local',
  'AWS::URLSuffix': 'amazonaws.com',
};

/**
 * Reads a function's build entry, handler, limits and environment from a SAM template, as
 * `sam build` + `sam local invoke` would: `!Ref` and `!Sub` resolve to parameter defaults (or
 * `parameterOverrides`) and pseudo parameters; any other intrinsic, which only a deployed stack can
 * resolve, becomes an empty string.
 *
 * @example
 * const config = resolveLocalFunction(template, 'HttpInvokerFunction');
 * config.entryPoint // 'functions/http-invoker/index.ts'
 */
export function resolveLocalFunction(
  template: SamTemplate,
  logicalId: string,
  parameterOverrides: Record<string, string> = {},
): LocalFunctionConfig {
  const resource = template.Resources?.[logicalId];
  if (resource?.Type !== 'AWS::Serverless::Function') {
    const functions = Object.entries(template.Resources ?? {})
      .filter(([, candidate]) => (candidate as { Type?: string }).Type === 'AWS::Serverless::Function')
      .map(([id]) => id);
    throw new Error(`${logicalId} is not an AWS::Serverless::Function of the template (functions: ${functions.join(', ')})`);
  }
  const globals = template.Globals?.Function ?? {};
  const properties = resource.Properties ?? {};
  const entryPoint = resource.Metadata?.BuildProperties?.EntryPoints?.[0];
  if (resource.Metadata?.BuildMethod !== 'esbuild' || typeof entryPoint !== 'string') {
    throw new Error(`${logicalId} is not built by esbuild with Metadata.BuildProperties.EntryPoints`);
  }
  const handler = String(properties.Handler ?? globals.Handler);
  const parameters = { ...PSEUDO_PARAMETERS, ...parameterDefaults(template), ...parameterOverrides };
  const resolve = (value: unknown) => resolveValue(value, parameters);
  const variables = { ...globals.Environment?.Variables, ...properties.Environment?.Variables } as Record<string, unknown>;
  return {
    logicalId,
    entryPoint,
    exportName: handler.slice(handler.lastIndexOf('.') + 1),
    handler,
    runtime: String(resolve(properties.Runtime ?? globals.Runtime)),
    memorySize: Number(resolve(properties.MemorySize ?? globals.MemorySize ?? 128)),
    timeoutSeconds: Number(resolve(properties.Timeout ?? globals.Timeout ?? 3)),
    environment: Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, resolve(value)])),
  };
}

function parameterDefaults(template: SamTemplate): Record<string, string> {
  const defaults: Record<string, string> = {};
  for (const [name, parameter] of Object.entries(template.Parameters ?? {})) {
    const value = (parameter as { Default?: unknown }).Default;
    if (value !== undefined) defaults[name] = String(value);
  }
  return defaults;
}

function resolveValue(value: unknown, parameters: Record<string, string>): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object') return String(value);
  const intrinsic = value as Record<string, unknown>;
  if (typeof intrinsic.Ref === 'string') return parameters[intrinsic.Ref] ?? '';
  if (typeof intrinsic['Fn::Sub'] === 'string') {
    return intrinsic['Fn::Sub'].replace(/\$\{([^}!]+)\}/g, (_, name: string) => parameters[name] ?? '');
  }
  return '';
}
