import { Ajv } from 'ajv';

/**
 * The CloudWatch embedded metric format document structure, written from the specification
 * (docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html):
 * `_aws` with an integer Timestamp (ms) and 1+ metric directives; a directive has a Namespace
 * (1–255 characters), Dimensions (dimension sets of at most 30 keys) and 1–100 metric
 * definitions, each with a Name and an optional Unit from CloudWatch's list.
 */
const EMF_SCHEMA = {
  type: 'object',
  required: ['_aws'],
  properties: {
    _aws: {
      type: 'object',
      required: ['Timestamp', 'CloudWatchMetrics'],
      properties: {
        Timestamp: { type: 'integer', minimum: 0 },
        CloudWatchMetrics: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['Namespace', 'Dimensions', 'Metrics'],
            additionalProperties: false,
            properties: {
              Namespace: { type: 'string', minLength: 1, maxLength: 255 },
              Dimensions: { type: 'array', items: { type: 'array', maxItems: 30, items: { type: 'string', minLength: 1 } } },
              Metrics: {
                type: 'array',
                minItems: 1,
                maxItems: 100,
                items: {
                  type: 'object',
                  required: ['Name'],
                  additionalProperties: false,
                  properties: {
                    Name: { type: 'string', minLength: 1, maxLength: 1024 },
                    Unit: {
                      enum: [
                        'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes',
                        'Bits', 'Kilobits', 'Megabits', 'Gigabits', 'Terabits', 'Percent', 'Count', 'Bytes/Second',
                        'Kilobytes/Second', 'Megabytes/Second', 'Gigabytes/Second', 'Terabytes/Second', 'Bits/Second',
                        'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second', 'Terabits/Second', 'Count/Second', 'None',
                      ],
                    },
                    StorageResolution: { enum: [1, 60] },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;

const validate = new Ajv({ allErrors: true }).compile(EMF_SCHEMA);

/**
 * Why a log record is not a valid EMF document, or [] when it is: the schema above, and the
 * specification's rule that every member a directive names is at the root, dimensions as
 * strings and metrics as numbers (or arrays of numbers).
 *
 * @example
 * expect(emfProblems(record)).toEqual([]);
 */
export function emfProblems(record: Record<string, unknown>): string[] {
  if (!validate(record)) return (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
  const problems: string[] = [];
  const directives = (record._aws as { CloudWatchMetrics: Array<{ Dimensions: string[][]; Metrics: Array<{ Name: string }> }> }).CloudWatchMetrics;
  for (const directive of directives) {
    for (const key of directive.Dimensions.flat()) {
      if (typeof record[key] !== 'string') problems.push(`dimension ${key} is not a string member of the root`);
    }
    for (const { Name } of directive.Metrics) {
      const value = record[Name];
      const numeric = typeof value === 'number' || (Array.isArray(value) && value.every((item) => typeof item === 'number'));
      if (!numeric) problems.push(`metric ${Name} is not a numeric member of the root`);
    }
  }
  return problems;
}
