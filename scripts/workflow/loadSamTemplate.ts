import { readFile } from 'node:fs/promises';
import { parse, type CollectionTag, type ScalarTag } from 'yaml';

/** A parsed template: plain JSON with the intrinsic functions in their long form (`{ "Ref": ... }`, `{ "Fn::Sub": ... }`). */
export type SamTemplate = Record<string, any>;

const INTRINSICS = [
  'Ref', 'Condition', 'GetAtt', 'Sub', 'If', 'Equals', 'Not', 'And', 'Or', 'Join', 'Select',
  'Split', 'FindInMap', 'GetAZs', 'ImportValue', 'Base64', 'Cidr', 'Transform', 'ToJsonString', 'Length',
];

function longForm(name: string, value: unknown): Record<string, unknown> {
  if (name === 'Ref' || name === 'Condition') return { [name]: value };
  if (name === 'GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [`Fn::${name}`]: value };
}

// CloudFormation's short forms (`!Ref X`, `!Sub '...'`, `!If [...]`) as the long forms they stand for.
const customTags: (ScalarTag | CollectionTag)[] = INTRINSICS.flatMap((name) => [
  { tag: `!${name}`, resolve: (value: string) => longForm(name, value) } satisfies ScalarTag,
  ...(['seq', 'map'] as const).map(
    (collection): CollectionTag => ({ tag: `!${name}`, collection, resolve: (node) => longForm(name, node.toJSON()) }),
  ),
]);

/**
 * Reads a SAM/CloudFormation YAML template, short-form intrinsics included.
 *
 * @example
 * const template = await loadSamTemplate('template.yaml');
 * template.Resources.HttpInvokerFunction.Properties.Handler // 'index.handler'
 */
export async function loadSamTemplate(path: string): Promise<SamTemplate> {
  return parse(await readFile(path, 'utf8'), { customTags }) as SamTemplate;
}
