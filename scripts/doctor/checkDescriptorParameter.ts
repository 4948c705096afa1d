import { readParameters } from '../../shared/credentials/ssmParameterReader.ts';
import { Deadline } from '../../shared/invoke/deadline.ts';
import { describeError } from './describeError.ts';
import type { DoctorStep } from './doctorStep.ts';
import { Step } from './step.ts';

/**
 * Step 2 for gRPC services that name a descriptor parameter: it is readable.
 *
 * @example
 * const step = await checkDescriptorParameter('inventory', '/meshgate/prod/inventory/descriptor', 10_000);
 */
export async function checkDescriptorParameter(service: string, name: string, timeoutMs: number): Promise<DoctorStep> {
  try {
    const value = (await readParameters([name], new Deadline(Date.now() + timeoutMs))).get(name);
    return Step.pass('parameters', `service ${service}`, `descriptor ${name} v${value?.version ?? '?'} readable`);
  } catch (error) {
    return Step.fail(
      'parameters',
      `service ${service}`,
      `cannot read descriptor ${name}: ${describeError(error)}`,
      `Write the base64 FileDescriptorSet (protoc --include_imports --descriptor_set_out) to ${name}, or use reflection: true.`,
    );
  }
}
