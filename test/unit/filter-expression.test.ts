import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { searchFilter } from '../../shared/events/data-schemas.ts';
import { filterExpression, stringLiteral } from '../../shared/milvus/filter-expression.ts';

/** Collections with the `restricted` flag, and those created before it. */
const FLAGGED = { restricted: true };
const LEGACY = { restricted: false };

describe('filterExpression', () => {
  it('is empty without filters', () => {
    assert.equal(filterExpression({}, LEGACY), '');
  });

  it('builds one clause per typed filter', () => {
    assert.equal(
      filterExpression({ tenant: 'acme', source: ['a.md', 'b.md'], tags: ['x'], docId: ['d1'] }, FLAGGED),
      '(tenant == "acme") && (source in ["a.md", "b.md"]) && (doc_id in ["d1"]) && (array_contains_any(tags, ["x"]))',
    );
  });

  it('restricts to documents open to the tenant or to one of the reader\'s groups', () => {
    assert.equal(filterExpression({ tenant: 'acme', readerGroups: [] }, FLAGGED), '(tenant == "acme") && (restricted == false)');
    assert.equal(
      filterExpression({ tenant: 'acme', readerGroups: ['hr', 'x" || true || "'] }, FLAGGED),
      '(tenant == "acme") && (restricted == false || array_contains_any(groups, ["hr", "x\\" || true || \\""]))',
    );
  });

  it('tells open rows by the groups array in collections created before the flag', () => {
    assert.equal(filterExpression({ tenant: 'acme', readerGroups: [] }, LEGACY), '(tenant == "acme") && (array_length(groups) == 0)');
    assert.equal(filterExpression({ readerGroups: ['hr'] }, LEGACY), '(array_length(groups) == 0 || array_contains_any(groups, ["hr"]))');
    assert.equal(searchFilter.safeParse({ readerGroups: ['hr'] }).success, false, 'a request cannot set it');
  });

  it('keeps hostile values inside an escaped string literal', () => {
    const hostile = 'x" || tenant != "acme';
    assert.equal(stringLiteral(hostile), '"x\\" || tenant != \\"acme"');
    assert.equal(stringLiteral('back\\slash'), '"back\\\\slash"');
    const expression = filterExpression({ source: hostile }, FLAGGED);
    assert.equal(expression, '(source in ["x\\" || tenant != \\"acme"])');
  });

  it('refuses control characters', () => {
    assert.throws(() => stringLiteral('a\nb'));
    assert.equal(searchFilter.safeParse({ source: 'a\u0000b' }).success, false);
  });

  it('accepts only the typed fields, never an expression', () => {
    assert.equal(searchFilter.safeParse({ expr: 'id != ""' }).success, false);
    assert.equal(searchFilter.safeParse({ tags: [] }).success, false);
    assert.equal(searchFilter.safeParse({ tenant: 42 }).success, false);
  });
});
