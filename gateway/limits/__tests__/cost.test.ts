// The cost estimate alone, over the committed supergraph's API schema: a page size counts
// the same whether it is a literal, a variable, a variable's default or the schema's default.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { getOperationAST, Kind, parse, type FragmentDefinitionNode, type GraphQLSchema } from 'graphql';
import { Supergraph } from '@apollo/federation-internals';
import { operationCost, type HeaviestPart } from '../cost.ts';
import { TRACKING_QUERY } from '../../../bench/scenarios.ts';

describe('gateway/limits cost', () => {
  let schema: GraphQLSchema;
  before(() => {
    schema = Supergraph.build(readFileSync(new URL('../../../schema/supergraph.graphql', import.meta.url), 'utf8')).apiSchema().toGraphQLJSSchema();
  });
  const cost = (query: string, variables: Record<string, unknown> = {}) => {
    const document = parse(query);
    const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
    return operationCost(schema, getOperationAST(document)!, fragments, variables);
  };
  const PAGE = (first: string) => `query P($n: Int = 100, $m: Int) { searchOffenders(lastName: "SMITH"${first}) { edges { node { sid name { last } } } } }`;

  it('reads the page size from the literal, the variable, its default and the schema default', () => {
    const got = {
      'literal 100': cost(PAGE(', first: 100')),
      'variable m = 100': cost(PAGE(', first: $m'), { m: 100 }),
      'variable n, default 100': cost(PAGE(', first: $n')),
      'variable m = null (schema default 20)': cost(PAGE(', first: $m'), { m: null }),
      'no first (schema default 20)': cost(PAGE('')),
      'literal 20': cost(PAGE(', first: 20')),
      'literal 1': cost(PAGE(', first: 1')),
    };
    assert.equal(got['variable m = 100'], got['literal 100']);
    assert.equal(got['variable n, default 100'], got['literal 100']);
    assert.equal(got['variable m = null (schema default 20)'], got['literal 20']);
    assert.equal(got['no first (schema default 20)'], got['literal 20']);
    // A page of 100 costs 100 pages of 1 (armor's rule: the whole field, object cost included, times its page size).
    assert.deepEqual([got['literal 100'] / got['literal 1'], got['literal 20'] / got['literal 1']].map((ratio) => Math.round(ratio * 1000) / 1000), [100, 20]);
  });

  it('names the sized field that weighs most, with its share of the cost (what a refusal tells the client to change)', () => {
    const heaviestOf = (query: string, variables: Record<string, unknown> = {}) => {
      const document = parse(query);
      const heaviest: { part: HeaviestPart | null } = { part: null };
      const total = operationCost(schema, getOperationAST(document)!, new Map(), variables, heaviest);
      return { total, part: heaviest.part };
    };
    const count = heaviestOf('query C($b: Int) { searchOffenders(lastName: "S*", first: 1) { matchCount(atMost: $b) { count } edges { node { sid } } } }', { b: 100_000 });
    assert.equal(count.part?.field, 'OffenderConnection.matchCount(atMost: 100000)');
    assert.ok(count.part!.cost > 0.9 * count.total && count.part!.cost <= count.total, `${count.part!.cost} of ${count.total}`);
    const pages = heaviestOf('{ searchOffenders(lastName: "S*", first: 100) { edges { node { sid courtCases(first: 100) { edges { node { docketNumber } } } } } } }');
    assert.equal(pages.part?.field, 'Query.searchOffenders(first: 100)', 'the outer page carries the inner one');
    assert.ok(Math.abs(pages.part!.cost - pages.total) < 1e-6 * pages.total, 'a single root field is the whole cost');
    assert.equal(heaviestOf('{ offender(sid: "1") { sid name { last } } }').part, null, 'nothing sized, nothing named');
  });

  it('counts fragments and multiplies nested pages; introspection is free', () => {
    const inline = cost('query { searchOffenders(lastName: "X", first: 10) { edges { node { courtCases(first: 10) { edges { node { docketNumber } } } } } } }');
    const spread = cost('query { searchOffenders(lastName: "X", first: 10) { edges { node { ...Cases } } } } fragment Cases on Offender { courtCases(first: 10) { edges { node { docketNumber } } } }');
    assert.equal(spread, inline);
    const single = cost('query { searchOffenders(lastName: "X", first: 10) { edges { node { courtCases(first: 1) { edges { node { docketNumber } } } } } } }');
    assert.ok(inline > 5 * single, `nested pages multiply: ${inline} vs ${single}`);
    assert.equal(cost('query { __schema { types { name fields { name } } } }'), 0);
  });

  it('weighs the rows a count reads: matchCount costs its bound, from the literal, the variable or the schema default (1000)', () => {
    const COUNT = (args: string) => `query C($b: Int) { searchOffenders(lastName: "SMITH", first: 1) { matchCount${args} { count exact } } }`;
    const none = cost('query { searchOffenders(lastName: "SMITH", first: 1) { totalCount } }');
    const got = {
      'atMost: 10': cost(COUNT('(atMost: 10)')) - none,
      'atMost: $b, b = 100000': cost(COUNT('(atMost: $b)'), { b: 100_000 }) - none,
      'atMost: 100000': cost(COUNT('(atMost: 100000)')) - none,
      'no atMost (schema default 1000)': cost(COUNT('')) - none,
    };
    // The count's own object and two scalars, at depth 2 (armor's weights), plus its bound at the same depth.
    const fixed = cost(COUNT('(atMost: 10)')) - none - 10 * 0.5 * 1.5;
    const bound = (n: number) => Math.round((fixed + n * 0.5 * 1.5) * 1000) / 1000; // half a scalar per unit of the bound
    assert.deepEqual(Object.fromEntries(Object.entries(got).map(([name, value]) => [name, Math.round(value * 1000) / 1000])), {
      'atMost: 10': bound(10), 'atMost: $b, b = 100000': bound(100_000), 'atMost: 100000': bound(100_000), 'no atMost (schema default 1000)': bound(1000),
    });
    assert.ok(fixed > 0 && fixed < 20, `the count's fields cost ${fixed} beside the bound`);
    // One count to the largest bound fits the default limit (100 000); two do not.
    const one = cost(COUNT('(atMost: 100000)'));
    assert.ok(one < 100_000 && 2 * one > 100_000, `a count to 100 000 costs ${one}`);
  });

  it('counts a count once per connection: the page size it sits beside does not multiply its bound', () => {
    const page = (first: string, count: string) => `query { searchOffenders(lastName: "SMITH"${first}) { ${count} edges { node { sid } } } }`;
    const added = (first: string, count: string) => cost(page(first, count)) - cost(page(first, ''));
    const bound = (first: string) => added(first, 'matchCount(atMost: 100000) { count }') - added(first, 'matchCount(atMost: 1) { count }');
    // The bound's share is the same at a page of 1, 25 and the schema's default of 20 (its
    // own fields still count per item, as armor counts everything under a page).
    const expected = Math.round((100_000 - 1) * 0.5 * 1.5); // half a unit per row, at the count's depth
    assert.deepEqual([bound(', first: 1'), bound(', first: 25'), bound('')].map((value) => Math.round(value)), [expected, expected, expected]);
    // A search screen's count beside the 25-result tracking search stays under the default limit.
    const withCount = cost(TRACKING_QUERY.replace('edges { node {', 'matchCount { count exact } edges { node {'), { lastName: 'X' });
    assert.ok(withCount > cost(TRACKING_QUERY, { lastName: 'X' }), 'the count was added to the tracking search');
    assert.ok(withCount < 100_000, `the tracking search with a count costs ${withCount}`);
  });
});
