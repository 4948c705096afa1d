import { readFileSync } from 'node:fs';
import type { Catalog } from '../../shared/catalog/catalogTypes.ts';
import { parseCatalog } from '../../shared/catalog/parseCatalog.ts';
import { readParameters } from '../../shared/credentials/ssmParameterReader.ts';
import { Deadline } from '../../shared/invoke/deadline.ts';

/** Where the catalog comes from: a JSON file, or the SSM parameter the invokers read. */
export type CatalogSource = { file: string } | { parameter: string };

/**
 * The catalog, validated by the invokers' own parser (so the mesh side is generated from exactly
 * what the invokers accept).
 *
 * @example
 * const catalog = await loadCatalogSource({ file: 'infra/catalog.example.json' }, 10_000);
 */
export async function loadCatalogSource(source: CatalogSource, timeoutMs: number): Promise<Catalog> {
  if ('file' in source) return parseCatalog(readFileSync(source.file, 'utf8'));
  const value = (await readParameters([source.parameter], new Deadline(Date.now() + timeoutMs))).get(source.parameter);
  if (!value) throw new Error(`Parameter ${source.parameter} has no value`);
  return parseCatalog(value.value);
}
