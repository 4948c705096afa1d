import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, type CollectionTag, type ScalarTag } from 'yaml';

const run = promisify(execFile);
const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const templatePath = join(repoRoot, 'template.yaml');
const eventsDir = join(repoRoot, 'test/events');
const entryPoint = 'functions/http-invoker/index.ts';
const hasEntryPoint = existsSync(join(repoRoot, entryPoint));
const parseHttpTaskPath = join(repoRoot, 'shared/task/parseHttpTask.ts');
const parseGrpcTaskPath = join(repoRoot, 'shared/grpc/parseGrpcTask.ts');
const banner = "import{createRequire}from'module';const require=createRequire(import.meta.url);";

type Json = Record<string, any>;

// CloudFormation's short forms, read as the long JSON forms they stand for.
const intrinsicNames = [
  'Ref', 'Condition', 'GetAtt', 'Sub', 'If', 'Equals', 'Not', 'And', 'Or', 'Join', 'Select',
  'Split', 'FindInMap', 'GetAZs', 'ImportValue', 'Base64', 'Cidr', 'Transform', 'ToJsonString', 'Length',
];
function longForm(name: string, value: unknown): Json {
  if (name === 'Ref' || name === 'Condition') return { [name]: value };
  if (name === 'GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [`Fn::${name}`]: value };
}
const cfnTags: (ScalarTag | CollectionTag)[] = intrinsicNames.flatMap((name) => [
  { tag: `!${name}`, resolve: (value: string) => longForm(name, value) } satisfies ScalarTag,
  ...(['seq', 'map'] as const).map(
    (collection): CollectionTag => ({
      tag: `!${name}`,
      collection,
      resolve: (node) => longForm(name, node.toJSON()),
    }),
  ),
]);

async function loadTemplate(): Promise<Json> {
  return parse(await readFile(templatePath, 'utf8'), { customTags: cfnTags }) as Json;
}

async function cfnLint(path: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run('cfn-lint', ['--', path], { cwd: repoRoot });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failure = error as { code?: number | string; stdout?: string; stderr?: string };
    if (failure.code === 'ENOENT') {
      throw new Error('cfn-lint is not on the PATH: `pip install cfn-lint` (the Python one, not the npm package)');
    }
    return { code: Number(failure.code), output: `${failure.stdout ?? ''}${failure.stderr ?? ''}` };
  }
}

/** One resource of the template as aws-sam-translator (Python, installed with cfn-lint) expands it. */
async function samTranslate(template: Json, logicalId: string): Promise<string> {
  const script = [
    'import json, sys',
    'from samtranslator.translator.transform import transform',
    'class NoManagedPolicies:',
    '    def load(self): return {}',
    'out = transform(json.load(sys.stdin), {}, NoManagedPolicies())',
    `print(json.dumps(out["Resources"][${JSON.stringify(logicalId)}]))`,
  ].join('\n');
  return new Promise((resolvePromise, reject) => {
    const child = execFile('python3', ['-c', script], { env: { ...process.env, AWS_DEFAULT_REGION: 'us-east-1' } }, (error, stdout, stderr) =>
      error ? reject(new Error(`aws-sam-translator failed: ${stderr || error.message}`)) : resolvePromise(stdout),
    );
    child.stdin?.end(JSON.stringify(template));
  });
}

function statementsOf(role: Json): Json[] {
  const statements: Json[] = [];
  for (const policy of role.Properties.Policies as Json[]) {
    for (const statement of policy.PolicyDocument.Statement as Json[]) {
      // A conditional statement counts with its "true" branch; the other branch is AWS::NoValue.
      const [, whenTrue, whenFalse] = statement['Fn::If'] ?? [];
      if (statement['Fn::If']) {
        expect(whenFalse).toEqual({ Ref: 'AWS::NoValue' });
        statements.push({ ...whenTrue, condition: statement['Fn::If'][0] });
      } else {
        statements.push(statement);
      }
    }
  }
  return statements;
}

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

describe('Template: template.yaml', () => {
  let template: Json;
  let fn: Json;
  let role: Json;

  beforeAll(async () => {
    template = await loadTemplate();
    fn = template.Resources.HttpInvokerFunction;
    role = template.Resources.HttpInvokerRole;
  });

  // Each check is a Python process of a second or two: run them side by side.
  describe.concurrent('cfn-lint', () => {
    it('is the Python cfn-lint 1.x (the npm package of that name rejects valid SAM)', async ({ expect }) => {
      // Act
      const { stdout } = await run('cfn-lint', ['--version']).catch((error: { code?: string }) => {
        throw new Error(`cfn-lint is not on the PATH (${error.code}): pip install cfn-lint`);
      });

      // Assess
      expect(stdout).toMatch(/^cfn-lint 1\.\d+\.\d+/);
    });

    it('passes cfn-lint with no error and no warning', async ({ expect }) => {
      // Act
      const { code, output } = await cfnLint(templatePath);

      // Assess
      expect(output.trim(), 'cfn-lint output').toBe('');
      expect(code).toBe(0);
    });

    it('fails cfn-lint when the template is broken (the check can fail)', async ({ expect }) => {
      // Prepare
      const dir = await mkdtemp(join(tmpdir(), 'meshgate-template-'));
      const broken = (await readFile(templatePath, 'utf8')).replace('Runtime: nodejs24.x', 'Runtime: nodejs99.x');
      await writeFile(join(dir, 'template.yaml'), broken);

      try {
        // Act
        const { code, output } = await cfnLint(join(dir, 'template.yaml'));

        // Assess
        expect(code).not.toBe(0);
        expect(output).toContain('nodejs99.x');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });

  describe('parameters', () => {
    it('declares the deployment knobs with their defaults', () => {
      const defaults = Object.fromEntries(
        Object.entries(template.Parameters as Json).map(([name, parameter]) => [name, parameter.Default]),
      );
      expect(defaults).toMatchObject({
        CatalogParameterName: '/meshgate/prod/catalog',
        ParameterPrefix: '/meshgate/prod',
        KmsKeyArn: '',
        CacheSeconds: 300,
        SubnetIds: '',
        SecurityGroupIds: '',
        LogRetentionInDays: 30,
        LogLevel: 'INFO',
      });
      expect(template.Parameters.SubnetIds.Type).toBe('CommaDelimitedList');
      expect(template.Parameters.SecurityGroupIds.Type).toBe('CommaDelimitedList');
    });

    it('only accepts hierarchical SSM names (the IAM ARNs are built from them)', () => {
      for (const name of ['CatalogParameterName', 'ParameterPrefix']) {
        const pattern = new RegExp(template.Parameters[name].AllowedPattern as string);
        expect(pattern.test(template.Parameters[name].Default), name).toBe(true);
        expect(pattern.test('meshgate/prod'), name).toBe(false);
        expect(pattern.test('/meshgate/prod/'), name).toBe(false);
        expect(pattern.test('/meshgate/*'), name).toBe(false);
      }
    });
  });

  describe('function', () => {
    it('runs Node.js 24 on arm64 with source maps and Powertools settings', () => {
      const globals = template.Globals.Function;
      expect(globals.Runtime).toBe('nodejs24.x');
      expect(globals.Architectures).toEqual(['arm64']);
      expect(globals.MemorySize).toBe(512);
      expect(globals.Timeout).toBe(30);
      // No --enable-source-maps: it makes the first stack trace cost 85-160 ms and each error path +170 µs.
      expect(globals.Environment.Variables.NODE_OPTIONS).toBeUndefined();
      expect(globals.Environment.Variables).toMatchObject({
        POWERTOOLS_SERVICE_NAME: 'meshgate',
        POWERTOOLS_LOG_LEVEL: { Ref: 'LogLevel' },
      });
      expect(fn.Properties.Runtime ?? globals.Runtime).toBe('nodejs24.x');
    });

    it('is bundled by esbuild as ESM with kept names and the createRequire banner', () => {
      expect(fn.Metadata.BuildMethod).toBe('esbuild');
      expect(fn.Metadata.BuildProperties).toEqual({
        Format: 'esm',
        OutExtension: ['.js=.mjs'],
        Target: 'es2023',
        Minify: true,
        Sourcemap: true,
        SourcesContent: 'false',
        KeepNames: true,
        Banner: [`js=${banner}`],
        EntryPoints: [entryPoint],
      });
      expect(fn.Properties.CodeUri).toBe('./');
      expect(fn.Properties.Handler).toBe('index.handler');
    });

    it('reads its catalog parameter and cache age from the environment', () => {
      expect(fn.Properties.Environment.Variables).toMatchObject({
        MESHGATE_CATALOG_PARAMETER: { Ref: 'CatalogParameterName' },
        MESHGATE_CACHE_SECONDS: { Ref: 'CacheSeconds' },
      });
    });

    it('joins a VPC only when subnets are given', () => {
      expect(template.Conditions.InVpc).toEqual({
        'Fn::Not': [{ 'Fn::Equals': [{ 'Fn::Join': ['', { Ref: 'SubnetIds' }] }, ''] }],
      });
      expect(fn.Properties.VpcConfig).toEqual({
        'Fn::If': [
          'InVpc',
          { SubnetIds: { Ref: 'SubnetIds' }, SecurityGroupIds: { Ref: 'SecurityGroupIds' } },
          { Ref: 'AWS::NoValue' },
        ],
      });
    });

    it('logs to its own log group with the configured retention', () => {
      const logGroup = template.Resources.HttpInvokerLogGroup;
      expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
      expect(logGroup.Properties.RetentionInDays).toEqual({ Ref: 'LogRetentionInDays' });
      expect(fn.Properties.LoggingConfig.LogGroup).toEqual({ Ref: 'HttpInvokerLogGroup' });
    });

    it.skipIf(!hasEntryPoint)(
      hasEntryPoint
        ? `has its entry point ${entryPoint} on disk`
        : `has its entry point on disk (skipped: ${entryPoint} does not exist yet)`,
      () => {
        expect(existsSync(join(repoRoot, entryPoint))).toBe(true);
      },
    );

    it.skipIf(!hasEntryPoint)(
      'bundles, as sam build would, into the module the Handler names, exporting the handler',
      async () => {
        // Prepare: the esbuild command line aws-lambda-builders makes from BuildProperties
        // (booleans as --flag, lists as --flag:item, scalars as --flag=value).
        const outdir = await mkdtemp(join(tmpdir(), 'meshgate-sam-build-'));
        const { EntryPoints, ...properties } = fn.Metadata.BuildProperties as Json;
        const flags = Object.entries(properties).flatMap(([key, value]) => {
          const flag = `--${key.replace(/(?<=[a-z])(?=[A-Z])/g, '-').toLowerCase()}`;
          if (value === true) return [flag];
          if (value === false) return [];
          if (Array.isArray(value)) return value.map((item) => `${flag}:${item}`);
          return [`${flag}=${value}`];
        });
        const [moduleName, exportName] = (fn.Properties.Handler as string).split('.');

        try {
          // Act
          await run(
            join(repoRoot, 'node_modules/.bin/esbuild'),
            [...EntryPoints, '--bundle', '--platform=node', `--outdir=${outdir}`, '--log-level=warning', ...flags],
            { cwd: repoRoot },
          );
          const bundle = join(outdir, `${moduleName}.mjs`);
          const { stdout } = await run(
            process.execPath,
            [
              '--input-type=module',
              '-e',
              `const m = await import(${JSON.stringify(pathToFileURL(bundle).href)}); process.stdout.write(typeof m[${JSON.stringify(exportName)}]);`,
            ],
            { env: { ...process.env, MESHGATE_CATALOG_PARAMETER: '/meshgate/test/catalog', AWS_REGION: 'eu-west-1' } },
          );

          // Assess
          expect((await readFile(bundle, 'utf8')).startsWith(banner)).toBe(true);
          expect(existsSync(`${bundle}.map`)).toBe(true);
          expect(stdout).toBe('function');
        } finally {
          await rm(outdir, { recursive: true, force: true });
        }
      },
      60_000,
    );
  });

  describe('permissions', () => {
    it('runs with its own scoped role rather than SAM policy templates', () => {
      expect(fn.Properties.Role).toEqual({ 'Fn::GetAtt': ['HttpInvokerRole', 'Arn'] });
      expect(fn.Properties.Policies).toBeUndefined();
      expect(role.Type).toBe('AWS::IAM::Role');
      expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
        { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ]);
    });

    it('reads SSM parameters only under the prefix and the catalog, with GetParameter(s) only', () => {
      const ssm = statementsOf(role).filter((s) => asList(s.Action).some((a) => String(a).startsWith('ssm:')));
      expect(ssm).toHaveLength(1);
      const [statement] = ssm as [Json];
      expect(statement.Effect).toBe('Allow');
      expect([...asList(statement.Action)].sort()).toEqual(['ssm:GetParameter', 'ssm:GetParameters']);
      expect(asList(statement.Resource)).toEqual([
        { 'Fn::Sub': 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter${ParameterPrefix}/*' },
        { 'Fn::Sub': 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter${CatalogParameterName}' },
      ]);
    });

    it('decrypts only with the given key, only through SSM, and only when a key is given', () => {
      const kms = statementsOf(role).filter((s) => asList(s.Action).some((a) => String(a).startsWith('kms:')));
      expect(kms).toHaveLength(1);
      const [statement] = kms as [Json];
      expect(statement.condition).toBe('HasKmsKey');
      expect(template.Conditions.HasKmsKey).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'KmsKeyArn' }, ''] }] });
      expect(statement.Action).toBe('kms:Decrypt');
      expect(statement.Resource).toEqual({ Ref: 'KmsKeyArn' });
      expect(statement.Condition.StringEquals).toEqual({
        'kms:ViaService': { 'Fn::Sub': 'ssm.${AWS::Region}.amazonaws.com' },
      });
    });

    it('grants no wildcard action and no "*" resource except for X-Ray', () => {
      for (const statement of statementsOf(role)) {
        for (const action of asList(statement.Action)) expect(String(action)).not.toContain('*');
        if (asList(statement.Resource).includes('*')) {
          expect(asList(statement.Action).every((a) => String(a).startsWith('xray:')), statement.Sid).toBe(true);
        }
      }
    });

    it('writes logs only to its own log group', () => {
      const logs = statementsOf(role).filter((s) => asList(s.Action).some((a) => String(a).startsWith('logs:')));
      expect(logs).toEqual([
        expect.objectContaining({
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': ['HttpInvokerLogGroup', 'Arn'] },
        }),
      ]);
    });

    it('attaches the VPC execution policy only inside a VPC', () => {
      expect(role.Properties.ManagedPolicyArns).toEqual([
        {
          'Fn::If': [
            'InVpc',
            { 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole' },
            { Ref: 'AWS::NoValue' },
          ],
        },
      ]);
    });
  });

  describe('outputs', () => {
    it('exports the HTTP invoker ARN under the stack name', () => {
      expect(template.Outputs.HttpInvokerFunctionArn).toMatchObject({
        Value: { 'Fn::GetAtt': ['HttpInvokerFunction', 'Arn'] },
        Export: { Name: { 'Fn::Sub': '${AWS::StackName}-HttpInvokerFunctionArn' } },
      });
    });

    it('outputs the example state machine and its log group', () => {
      expect(template.Outputs.OrderFulfilmentStateMachineArn.Value).toEqual({ Ref: 'OrderFulfilmentStateMachine' });
      expect(template.Outputs.OrderFulfilmentLogGroupName.Value).toEqual({ Ref: 'OrderFulfilmentLogGroup' });
    });
  });

  describe('state machine', () => {
    let machine: Json;
    let policies: Json[];

    beforeAll(() => {
      machine = template.Resources.OrderFulfilmentStateMachine;
      policies = machine.Properties.Policies as Json[];
    });

    it('deploys the JSONata order-fulfilment workflow as a standard state machine', () => {
      expect(machine.Type).toBe('AWS::Serverless::StateMachine');
      expect(machine.Properties.Type).toBe('STANDARD');
      expect(machine.Properties.DefinitionUri).toBe('infra/statemachines/order-fulfilment.jsonata.asl.json');
      expect(existsSync(join(repoRoot, machine.Properties.DefinitionUri))).toBe(true);
    });

    it('substitutes exactly the placeholders the definitions use, with the invoker ARNs', async () => {
      for (const file of ['order-fulfilment.jsonata.asl.json', 'order-fulfilment.jsonpath.asl.json']) {
        const text = await readFile(join(repoRoot, 'infra/statemachines', file), 'utf8');
        const placeholders = [...new Set([...text.matchAll(/\$\{([^}]+)\}/g)].map((match) => match[1]))].sort();
        expect(placeholders, file).toEqual(Object.keys(machine.Properties.DefinitionSubstitutions).sort());
      }
      expect(machine.Properties.DefinitionSubstitutions).toEqual({
        HttpInvokerFunctionArn: { 'Fn::GetAtt': ['HttpInvokerFunction', 'Arn'] },
        GrpcInvokerFunctionArn: { 'Fn::GetAtt': ['GrpcInvokerFunction', 'Arn'] },
      });
    });

    it('may invoke the two invokers and no other function', () => {
      const lambdaPolicies = policies.filter((policy) => JSON.stringify(policy).includes('ambda'));
      expect(lambdaPolicies).toEqual([
        { LambdaInvokePolicy: { FunctionName: { Ref: 'HttpInvokerFunction' } } },
        { LambdaInvokePolicy: { FunctionName: { Ref: 'GrpcInvokerFunction' } } },
      ]);
    });

    it('grants "*" only for log delivery, which has no resource-level permissions', () => {
      const statements = policies.flatMap((policy) => (policy.Statement as Json[] | undefined) ?? []);
      expect(statements.map((statement) => statement.Sid)).toEqual(['DeliverExecutionLogs']);
      for (const statement of statements) {
        for (const action of asList(statement.Action)) expect(String(action)).toMatch(/^logs:[A-Za-z]+$/);
      }
    });

    it('logs every transition, without execution data, to its own log group', () => {
      expect(machine.Properties.Logging).toEqual({
        Level: 'ALL',
        IncludeExecutionData: false,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': ['OrderFulfilmentLogGroup', 'Arn'] } } }],
      });
      const logGroup = template.Resources.OrderFulfilmentLogGroup;
      expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
      expect(logGroup.Properties.LogGroupName).toEqual({ 'Fn::Sub': '/aws/vendedlogs/states/${AWS::StackName}-OrderFulfilment' });
      expect(logGroup.Properties.RetentionInDays).toEqual({ Ref: 'LogRetentionInDays' });
      expect(machine.Properties.Tracing).toEqual({ Enabled: true });
    });

    it('becomes, through the SAM translator, a role that allows lambda:InvokeFunction on the two invokers only', async () => {
      // Prepare: sam package would have uploaded the code and definition; S3 locations stand in for them.
      const deployable = structuredClone(template);
      deployable.Resources.OrderFulfilmentStateMachine.Properties.DefinitionUri = { Bucket: 'artifacts', Key: 'definition.json' };
      for (const resource of Object.values(deployable.Resources as Json)) {
        if (resource.Type === 'AWS::Serverless::Function') resource.Properties.CodeUri = 's3://artifacts/code.zip';
      }

      // Act: aws-sam-translator comes with cfn-lint.
      const role = JSON.parse(await samTranslate(deployable, 'OrderFulfilmentStateMachineRole')) as Json;

      // Assess
      expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
        { Action: ['sts:AssumeRole'], Effect: 'Allow', Principal: { Service: ['states.amazonaws.com'] } },
      ]);
      const statements = (role.Properties.Policies as Json[]).flatMap((policy) => policy.PolicyDocument.Statement as Json[]);
      const lambda = statements.filter((statement) => asList(statement.Action).some((action) => String(action).startsWith('lambda:')));
      expect(lambda).toEqual(
        ['HttpInvokerFunction', 'GrpcInvokerFunction'].map((invoker) => ({
          Action: ['lambda:InvokeFunction'],
          Effect: 'Allow',
          Resource: {
            'Fn::Sub': [
              'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${functionName}*',
              { functionName: { Ref: invoker } },
            ],
          },
        })),
      );
      expect(role.Properties.ManagedPolicyArns).toEqual(['arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess']);
    }, 30_000);
  });
});

describe('Template: the gRPC invoker', () => {
  let template: Json;

  beforeAll(async () => {
    template = await loadTemplate();
  });

  it('is built, configured and placed like the HTTP invoker, from its own entry point', () => {
    // Prepare
    const http = template.Resources.HttpInvokerFunction;
    const grpc = template.Resources.GrpcInvokerFunction;
    // Assess
    expect(grpc.Type).toBe('AWS::Serverless::Function');
    expect(grpc.Metadata).toEqual({
      ...http.Metadata,
      BuildProperties: { ...http.Metadata.BuildProperties, EntryPoints: ['functions/grpc-invoker/index.ts'] },
    });
    expect(existsSync(join(repoRoot, 'functions/grpc-invoker/index.ts'))).toBe(true);
    const { Description: _grpcDescription, Role, LoggingConfig, ...grpcRest } = grpc.Properties;
    const { Description: _httpDescription, Role: _httpRole, LoggingConfig: _httpLogging, ...httpRest } = http.Properties;
    expect(grpcRest).toEqual(httpRest);
    expect(Role).toEqual({ 'Fn::GetAtt': ['GrpcInvokerRole', 'Arn'] });
    expect(LoggingConfig).toEqual({ LogGroup: { Ref: 'GrpcInvokerLogGroup' } });
  });

  it('runs with its own role, as narrow as the HTTP invoker\'s and writing only its own logs', () => {
    const http = template.Resources.HttpInvokerRole;
    const grpc = template.Resources.GrpcInvokerRole;
    const asGrpc = JSON.parse(JSON.stringify(statementsOf(http)).replaceAll('HttpInvokerLogGroup', 'GrpcInvokerLogGroup'));
    expect(statementsOf(grpc)).toEqual(asGrpc);
    expect(grpc.Properties.ManagedPolicyArns).toEqual(http.Properties.ManagedPolicyArns);
    expect(grpc.Properties.AssumeRolePolicyDocument).toEqual(http.Properties.AssumeRolePolicyDocument);
    expect(template.Resources.GrpcInvokerLogGroup.Properties).toEqual({
      LogGroupName: { 'Fn::Sub': '/aws/lambda/${AWS::StackName}-GrpcInvokerFunction' },
      RetentionInDays: { Ref: 'LogRetentionInDays' },
    });
  });

  it('exports the gRPC invoker ARN under the stack name', () => {
    expect(template.Outputs.GrpcInvokerFunctionArn).toMatchObject({
      Value: { 'Fn::GetAtt': ['GrpcInvokerFunction', 'Arn'] },
      Export: { Name: { 'Fn::Sub': '${AWS::StackName}-GrpcInvokerFunctionArn' } },
    });
  });
});

describe('Events: test/events', () => {
  let eventFiles: string[];
  const events = new Map<string, Json>();

  beforeAll(async () => {
    eventFiles = (await readdir(eventsDir)).filter((file) => file.endsWith('.json') && file !== 'env.json').sort();
    for (const file of eventFiles) events.set(file, JSON.parse(await readFile(join(eventsDir, file), 'utf8')));
  });

  it('holds the four sam local events', () => {
    expect(eventFiles).toEqual(['grpc-reserve.json', 'http-create-order.json', 'http-get-order.json', 'http-invalid-task.json']);
  });

  it('parses every event as a task object naming a service', () => {
    for (const [file, event] of events) {
      expect(event, file).toBeTypeOf('object');
      expect(Array.isArray(event), file).toBe(false);
      expect(event.service, file).toMatch(/^[a-z0-9][a-z0-9-]{0,62}$/);
    }
  });

  it('overrides in env.json only variables the template declares (sam local ignores the rest)', async () => {
    // Prepare
    const template = await loadTemplate();
    const env = JSON.parse(await readFile(join(eventsDir, 'env.json'), 'utf8')) as Record<string, Json>;

    // Assess
    expect(Object.keys(env)).toEqual(['HttpInvokerFunction', 'GrpcInvokerFunction']);
    for (const [logicalId, variables] of Object.entries(env)) {
      const declared = {
        ...template.Globals.Function.Environment.Variables,
        ...template.Resources[logicalId].Properties.Environment.Variables,
      };
      for (const [name, value] of Object.entries(variables)) {
        expect(Object.keys(declared), `${logicalId}.${name}`).toContain(name);
        expect(value, `${logicalId}.${name}`).toBeTypeOf('string');
      }
    }
    expect(env.HttpInvokerFunction).toMatchObject({
      MESHGATE_CATALOG_PARAMETER: '/meshgate/local/catalog',
      AWS_ENDPOINT_URL_SSM: 'http://host.docker.internal:4566',
    });
    // Both invokers read the same local catalog and SSM endpoint.
    expect(env.GrpcInvokerFunction).toEqual(env.HttpInvokerFunction);
  });

  describe.skipIf(!existsSync(parseHttpTaskPath))('against the task parser (shared/task/parseHttpTask.ts)', () => {
    let parseHttpTask: (input: unknown) => unknown;

    beforeAll(async () => {
      ({ parseHttpTask } = await import(pathToFileURL(parseHttpTaskPath).href));
    });

    it('accepts the valid events', () => {
      expect(() => parseHttpTask(events.get('http-get-order.json'))).not.toThrow();
      expect(() => parseHttpTask(events.get('http-create-order.json'))).not.toThrow();
    });

    it('refuses http-invalid-task.json with Mesh.InvalidTask', () => {
      expect(() => parseHttpTask(events.get('http-invalid-task.json'))).toThrow(
        expect.objectContaining({ name: 'Mesh.InvalidTask', message: expect.stringContaining('authorization') }),
      );
    });
  });

  describe.skipIf(!existsSync(parseGrpcTaskPath))('against the gRPC task parser (shared/grpc/parseGrpcTask.ts)', () => {
    it('accepts grpc-reserve.json, an rpc the example catalog allows for its service', async () => {
      // Prepare
      const { parseGrpcTask } = (await import(pathToFileURL(parseGrpcTaskPath).href)) as { parseGrpcTask: (input: unknown) => { rpc: string } };
      const event = events.get('grpc-reserve.json');
      const catalog = JSON.parse(await readFile(join(repoRoot, 'infra/catalog.example.json'), 'utf8')) as Json;
      // Act
      const task = parseGrpcTask(event);
      // Assess
      expect(task.rpc).toBe('inventory.v1.Inventory/Reserve');
      expect(catalog.services[event!.service].rpcs).toContain(task.rpc);
    });
  });

  afterAll(() => events.clear());
});
