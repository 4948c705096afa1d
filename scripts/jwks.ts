/**
 * `npm run jwks -- [--identity NAME] [--catalog-parameter NAME] [--overlap-seconds N] [--next FILE | --generate FILE]`
 *
 * Prints the public JWKS that Istio's RequestAuthentication must trust for a self_signed identity
 * (`jwtRules[].jwks`): the current signing key and every key replaced less than the overlap ago,
 * read from the signing-key parameter's history (GetParameterHistory, decrypted: the caller needs
 * ssm:GetParameterHistory and kms:Decrypt on it; the invoker itself needs neither). Only public
 * halves are printed.
 *
 * Rotation, with the key published before it is used and kept until nothing can still use it:
 *   1. npm run jwks -- --generate next.jwk      # new private JWK in next.jwk (0600); JWKS = current + next
 *   2. apply that JWKS to the RequestAuthentication, wait until the gateways have it
 *   3. aws ssm put-parameter --name <secretParameter> --type SecureString --overwrite --value file://next.jwk; rm next.jwk
 *   4. after the overlap, npm run jwks and apply again: the old key is gone
 * The overlap defaults to what can still use a replaced key: the cache age (MESHGATE_CACHE_SECONDS,
 * 300) + the outage grace (MESHGATE_OUTAGE_GRACE_SECONDS, 900) + the longest self-signed token (300 s).
 *
 * Exit code 0 on success, 1 when the catalog or the history cannot be read, 2 for a wrong command line.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { GetParameterCommand, GetParameterHistoryCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { JWK } from 'jose';
import { parseCatalog } from '../shared/catalog/parseCatalog.ts';
import { cacheMaxAgeMs, outageGraceMs } from '../shared/credentials/cacheSettings.ts';
import { isMeshError } from '../shared/errors/meshErrors.ts';
import { signingKeyJwks, type SigningKeyVersion } from '../shared/identity/signingKeyJwks.ts';
import { logger } from '../shared/logging/logger.ts';

const USAGE = `Usage: npm run jwks -- [--identity NAME] [--catalog-parameter NAME] [--overlap-seconds N] [--next FILE | --generate FILE]
  --identity NAME           the self_signed identity (default: the catalog's only one)
  --catalog-parameter NAME  the catalog parameter (default: MESHGATE_CATALOG_PARAMETER)
  --overlap-seconds N       keep a replaced key this long after its replacement was written
                            (default: cache age + outage grace + 300 s)
  --next FILE               also publish the key in FILE (a private or public JWK) ahead of its use
  --generate FILE           write a new private ES256 JWK to FILE (mode 0600) and publish it too
`;
/** The contract caps self-signed tokens at five minutes (signSelfSignedToken). */
const MAX_SELF_SIGNED_TOKEN_MS = 300_000;

function fail(code: number, text: string): never {
  process.stderr.write(`npm run jwks: ${text}\n`);
  process.exit(code);
}

let args: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    options: {
      identity: { type: 'string' },
      'catalog-parameter': { type: 'string' },
      'overlap-seconds': { type: 'string' },
      next: { type: 'string' },
      generate: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  }).values;
}
try {
  args = parse();
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (args.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (args.next && args.generate) fail(2, '--next and --generate exclude each other');
const overlapMs =
  args['overlap-seconds'] === undefined ? cacheMaxAgeMs() + outageGraceMs() + MAX_SELF_SIGNED_TOKEN_MS : Number(args['overlap-seconds']) * 1000;
if (!Number.isFinite(overlapMs) || overlapMs < 0) fail(2, '--overlap-seconds takes a number of seconds');
const catalogParameter = args['catalog-parameter'] ?? process.env.MESHGATE_CATALOG_PARAMETER;
if (!catalogParameter) fail(2, 'name the catalog: --catalog-parameter NAME or MESHGATE_CATALOG_PARAMETER');

logger.setLogLevel('SILENT');
const ssm = new SSMClient({});
try {
  const catalogText = (await ssm.send(new GetParameterCommand({ Name: catalogParameter, WithDecryption: true }))).Parameter?.Value;
  const catalog = parseCatalog(catalogText ?? '');
  const selfSigned = Object.entries(catalog.identities).filter(([, identity]) => identity.oidc.mode === 'self_signed');
  const chosen = args.identity ? selfSigned.find(([name]) => name === args.identity) : selfSigned.length === 1 ? selfSigned[0] : undefined;
  if (!chosen) {
    const names = selfSigned.map(([name]) => name).join(', ') || 'none';
    fail(2, `${args.identity ? `"${args.identity}" is not a self_signed identity` : 'choose one with --identity'} (self_signed identities: ${names})`);
  }
  const [identityName, identity] = chosen;

  const upcoming: JWK[] = [];
  if (args.next) upcoming.push(readJwkFile(args.next));
  if (args.generate) upcoming.push(generateSigningJwk(identityName, args.generate));

  const history: SigningKeyVersion[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ssm.send(
      new GetParameterHistoryCommand({ Name: identity.oidc.secretParameter, WithDecryption: true, MaxResults: 50, NextToken: nextToken }),
    );
    for (const entry of page.Parameters ?? []) {
      if (entry.Version !== undefined && entry.Value !== undefined) {
        history.push({ version: entry.Version, value: entry.Value, lastModified: entry.LastModifiedDate });
      }
    }
    nextToken = page.NextToken;
  } while (nextToken);

  const result = signingKeyJwks(history, { now: Date.now(), overlapMs, upcoming });
  for (const { version, reason } of result.skipped) {
    process.stderr.write(`npm run jwks: version ${version} of ${identity.oidc.secretParameter} left out: ${reason}\n`);
  }
  if (result.jwks.keys.length === 0) fail(1, `no usable key in ${identity.oidc.secretParameter}`);
  process.stdout.write(`${JSON.stringify(result.jwks)}\n`);
  if (args.generate) {
    process.stderr.write(
      `npm run jwks: wrote the new private key to ${args.generate}. Apply the JWKS above first, then:\n` +
        `  aws ssm put-parameter --name ${identity.oidc.secretParameter} --type SecureString --overwrite --value file://${args.generate}\n`,
    );
  }
} catch (error) {
  // Mesh errors carry secret-free messages; an SDK error's name and message never hold a value.
  fail(1, isMeshError(error) ? `${error.name}: ${error.message}` : `${(error as Error).name}: ${(error as Error).message}`);
} finally {
  ssm.destroy();
}

function readJwkFile(path: string): JWK {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as JWK;
  } catch {
    // The parser's message could quote the file, which may hold a private key.
    fail(2, `--next ${path} does not hold a JSON JWK`);
  }
}

/** A new ES256 private JWK with a dated `kid`, written where only its owner can read it. */
function generateSigningJwk(identityName: string, path: string): JWK {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const date = new Date().toISOString().slice(0, 10).replace(/-/g, '');
  const jwk = { ...(privateKey.export({ format: 'jwk' }) as JWK), kid: `${identityName}-${date}-${randomBytes(3).toString('hex')}`, alg: 'ES256', use: 'sig' };
  try {
    writeFileSync(path, `${JSON.stringify(jwk)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    fail(1, `cannot write ${path} (${(error as { code?: string }).code ?? 'error'}); it must not exist yet`);
  }
  return jwk;
}
