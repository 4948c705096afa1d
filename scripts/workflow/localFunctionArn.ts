/** Account and region of the local runs: the same ones test/support/lambdaContext.ts reports. */
const LOCAL_REGION = 'us-east-1';
const LOCAL_ACCOUNT = '123456789012';

/**
 * The ARN a function of template.yaml stands under in local runs, substituted for
 * `${<LogicalId>Arn}` in the state machines as CloudFormation would substitute the real one.
 *
 * @example
 * localFunctionArn('HttpInvokerFunction') // 'arn:aws:lambda:us-east-1:123456789012:function:HttpInvokerFunction'
 */
export function localFunctionArn(logicalId: string): string {
  return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${logicalId}`;
}
