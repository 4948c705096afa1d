import type { Catalog } from '../../shared/catalog/catalogTypes.ts';
import { readParameters, type ParameterValue } from '../../shared/credentials/ssmParameterReader.ts';
import { isMeshError } from '../../shared/errors/meshErrors.ts';
import { Deadline } from '../../shared/invoke/deadline.ts';
import { describeError } from './describeError.ts';
import type { DoctorStep } from './doctorStep.ts';
import { Step } from './step.ts';

/**
 * Step 2, per identity: every parameter the invoker reads for it (certificate, key, OIDC secret or
 * key, ingress CA) is readable and decrypted, in the same single GetParameters call the invoker
 * makes. When that call fails, each parameter is read alone so the report names the broken ones.
 *
 * The latest values come back (never shown) so the next step can tell whether the invoker had to
 * fall back to an older version of the certificate or key.
 *
 * @example
 * const { step, latest } = await checkParameters(catalog, 'default', 10_000);
 */
export async function checkParameters(
  catalog: Catalog,
  identityName: string,
  timeoutMs: number,
): Promise<{ step: DoctorStep; latest?: Map<string, ParameterValue> }> {
  const identity = catalog.identities[identityName]!;
  const subject = `identity ${identityName}`;
  const names = [
    ...new Set([identity.tls.certParameter, identity.tls.keyParameter, identity.oidc.secretParameter, catalog.ingress.caParameter]),
  ];
  try {
    const values = await readParameters(names, new Deadline(Date.now() + timeoutMs));
    const versions = names.map((name) => `${name} v${values.get(name)?.version ?? '?'}`);
    return { step: Step.pass('parameters', subject, `${names.length} parameters readable and decrypted`, versions), latest: values };
  } catch (groupError) {
    const broken: string[] = [];
    for (const name of names) {
      try {
        await readParameters([name], new Deadline(Date.now() + timeoutMs));
      } catch (error) {
        broken.push(`${name}: ${describeError(error)}`);
      }
    }
    const unreachable = isMeshError(groupError) && groupError.name === 'Mesh.CredentialsUnavailable';
    const step = Step.fail(
      'parameters',
      subject,
      `cannot read ${broken.length || names.length} of ${names.length} parameters: ${describeError(groupError)}`,
      unreachable
        ? 'SSM did not answer: check the region, credentials and AWS_ENDPOINT_URL_SSM, then run again.'
        : 'Create each missing parameter (SecureString for keys and secrets) or correct its name in the catalog; ' +
            'the function role needs ssm:GetParameters on it and kms:Decrypt on its KMS key.',
      broken,
    );
    return { step };
  }
}
