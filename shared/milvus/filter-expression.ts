// Builds Milvus boolean expressions from typed, validated values. No client text is
// ever spliced in unquoted: every value becomes an escaped string literal, so no
// input can change the expression's structure or widen what a caller may see.
import type { SearchFilter } from '../events/data-schemas.ts';
import type { CollectionInfo } from './collection.ts';

/** A double-quoted Milvus string literal. */
export function stringLiteral(value: string): string {
  if (/[\u0000-\u001f]/.test(value)) throw new Error('control characters are not allowed in filter values');
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

const list = (values: readonly string[]) => `[${values.map(stringLiteral).join(', ')}]`;

/** Conjunction of the non-empty clauses, each parenthesised; '' when there are none. */
export function allOf(...clauses: string[]): string {
  return clauses.filter(Boolean).map((clause) => `(${clause})`).join(' && ');
}

/** Disjunction of the clauses, each parenthesised; '' when there are none. */
export function anyOf(...clauses: string[]): string {
  return clauses.filter(Boolean).map((clause) => `(${clause})`).join(' || ');
}

/** Rows open to the whole tenant, or restricted to a group the reader is in. */
function readableBy(groups: readonly string[], collection: Pick<CollectionInfo, 'restricted'>): string {
  const open = collection.restricted ? 'restricted == false' : 'array_length(groups) == 0';
  return groups.length === 0 ? open : `${open} || array_contains_any(groups, ${list(groups)})`;
}

/** The filter's expression for a collection of the given shape. */
export function filterExpression(filter: SearchFilter, collection: Pick<CollectionInfo, 'restricted'>): string {
  const clauses: string[] = [];
  if (filter.tenant !== undefined) clauses.push(`tenant == ${stringLiteral(filter.tenant)}`);
  if (filter.source !== undefined) {
    clauses.push(`source in ${list(typeof filter.source === 'string' ? [filter.source] : filter.source)}`);
  }
  if (filter.docId !== undefined) clauses.push(`doc_id in ${list(filter.docId)}`);
  if (filter.tags !== undefined) clauses.push(`array_contains_any(tags, ${list(filter.tags)})`);
  if (filter.readerGroups !== undefined) clauses.push(readableBy(filter.readerGroups, collection));
  return allOf(...clauses);
}
