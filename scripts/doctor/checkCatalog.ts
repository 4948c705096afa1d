import type { Catalog } from '../../shared/catalog/catalogTypes.ts';
import { parseCatalog } from '../../shared/catalog/parseCatalog.ts';
import { readParameters } from '../../shared/credentials/ssmParameterReader.ts';
import { isMeshError } from '../../shared/errors/meshErrors.ts';
import { Deadline } from '../../shared/invoke/deadline.ts';
import { describeError } from './describeError.ts';
import type { DoctorStep } from './doctorStep.ts';
import { Step } from './step.ts';

/**
 * Step 1: the catalog parameter is readable and parses as the contract's catalog.
 *
 * @example
 * const { step, catalog } = await checkCatalog('/meshgate/prod/catalog', 10_000);
 */
export async function checkCatalog(name: string, timeoutMs: number): Promise<{ step: DoctorStep; catalog?: Catalog }> {
  let text: string;
  let version: number;
  try {
    const value = (await readParameters([name], new Deadline(Date.now() + timeoutMs))).get(name);
    if (!value) throw new Error('no value');
    ({ value: text, version } = value);
  } catch (error) {
    const unreachable = isMeshError(error) && error.name === 'Mesh.CredentialsUnavailable';
    return {
      step: Step.fail(
        'catalog',
        name,
        `cannot read the catalog parameter: ${describeError(error)}`,
        unreachable
          ? 'Check the region (AWS_REGION), the credentials and, for a local endpoint, AWS_ENDPOINT_URL_SSM.'
          : `Create the String parameter ${name} holding the catalog JSON (CONTRACT.md section 6), in this account and region, and allow ssm:GetParameters on it.`,
      ),
    };
  }
  try {
    const catalog = parseCatalog(text);
    const services = Object.keys(catalog.services).length;
    const identities = Object.keys(catalog.identities).length;
    return {
      step: Step.pass('catalog', name, `version ${version}, ${services} services, ${identities} identities, ingress ${catalog.ingress.url}`),
      catalog,
    };
  } catch (error) {
    return {
      step: Step.fail(
        'catalog',
        name,
        `version ${version} does not parse: ${describeError(error)}`,
        `Correct the catalog as the message says (CONTRACT.md section 6) and write it as a new version of ${name}.`,
      ),
    };
  }
}
