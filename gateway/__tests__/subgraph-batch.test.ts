import assert from 'node:assert/strict';
import { parse } from 'graphql';
import { FetchBatcher, type Fetch } from '../subgraph-batch.ts';

const CASES = 'query P__correction__4($representations:[_Any!]!){_entities(representations:$representations){...on CourtCase{correctionalSentence{estimatedReleaseDate}}}}';
const CUSTODY = 'query P__correction__5($representations:[_Any!]!,$first:Int){_entities(representations:$representations){...on Offender{custody(first:$first){inmateNumber}}}}';
const ROOT_FIELD = 'query P__public_safety__0($sid:ID!){offender(sid:$sid){sid}}';

describe('entity fetches to one subgraph in one call (subgraph-batch.ts)', () => {
  it('merges the fetches of one round into one operation, renames their variables, and splits data and errors back', async () => {
    const sent: Fetch[] = [];
    const batcher = new FetchBatcher(async (fetch) => {
      sent.push(fetch);
      return {
        data: { _obtsBatch0: [{ correctionalSentence: null }], _obtsBatch1: [{ custody: [{ inmateNumber: '123' }] }] },
        errors: [
          { message: 'no sentence', path: ['_obtsBatch0', 0, 'correctionalSentence'] },
          { message: 'custody slow', path: ['_obtsBatch1', 0, 'custody'] },
          { message: 'whole operation' },
        ],
      } as any;
    });
    const [cases, custody] = await Promise.all([
      batcher.fetch({ query: CASES, variables: { representations: [{ __typename: 'CourtCase', docketNumber: 'A' }] } }),
      batcher.fetch({ query: CUSTODY, variables: { representations: [{ __typename: 'Offender', sid: '1' }], first: 3 } }),
    ]);
    assert.equal(sent.length, 1, 'one call');
    const operation = parse(sent[0].query).definitions[0] as any;
    assert.deepEqual(operation.selectionSet.selections.map((field: any) => [field.alias.value, field.name.value]), [['_obtsBatch0', '_entities'], ['_obtsBatch1', '_entities']]);
    assert.deepEqual(operation.variableDefinitions.map((definition: any) => definition.variable.name.value), ['b0_representations', 'b1_representations', 'b1_first']);
    assert.equal(sent[0].operationName, operation.name.value);
    assert.deepEqual(sent[0].variables, { b0_representations: [{ __typename: 'CourtCase', docketNumber: 'A' }], b1_representations: [{ __typename: 'Offender', sid: '1' }], b1_first: 3 });
    assert.deepEqual(cases, { data: { _entities: [{ correctionalSentence: null }] }, errors: [{ message: 'no sentence', path: ['_entities', 0, 'correctionalSentence'] }, { message: 'whole operation' }] });
    assert.deepEqual(custody, { data: { _entities: [{ custody: [{ inmateNumber: '123' }] }] }, errors: [{ message: 'custody slow', path: ['_entities', 0, 'custody'] }, { message: 'whole operation' }] });
  });

  it('sends a fetch that is not only `_entities` alone, and a lone entity fetch as it is', async () => {
    const sent: Fetch[] = [];
    const batcher = new FetchBatcher(async (fetch) => {
      sent.push(fetch);
      return { data: { ok: sent.length } } as any;
    });
    await Promise.all([batcher.fetch({ query: ROOT_FIELD, variables: { sid: '1' } }), batcher.fetch({ query: CASES, variables: { representations: [] } })]);
    assert.deepEqual(sent.map((fetch) => fetch.query).sort(), [CASES, ROOT_FIELD].sort());
    assert.deepEqual(sent.find((fetch) => fetch.query === CASES)?.variables, { representations: [] }, 'unchanged when alone');
  });

  it('sends each fetch again alone when one of them nulls the merged answer, so only that one fails', async () => {
    const sent: Fetch[] = [];
    const batcher = new FetchBatcher(async (fetch) => {
      sent.push(fetch);
      if (sent.length === 1) return { data: null, errors: [{ message: 'bad reference', path: ['_obtsBatch0'] }] } as any;
      return fetch.query === CASES ? { data: null, errors: [{ message: 'bad reference', path: ['_entities'] }] } as any : { data: { _entities: [{ custody: [] }] } } as any;
    });
    const [cases, custody] = await Promise.all([batcher.fetch({ query: CASES, variables: {} }), batcher.fetch({ query: CUSTODY, variables: {} })]);
    assert.equal(sent.length, 3, 'the merged call, then each alone');
    assert.deepEqual(cases, { data: null, errors: [{ message: 'bad reference', path: ['_entities'] }] });
    assert.deepEqual(custody, { data: { _entities: [{ custody: [] }] } });
  });

  it('fails, and never leaves waiting, every fetch of a merged answer that cannot be split', async () => {
    for (const answer of [{ data: { _obtsBatch0: [], _obtsBatch1: [] }, errors: {} }, { data: { _obtsBatch0: [], _obtsBatch1: [] }, errors: [null] }]) {
      const batcher = new FetchBatcher(async () => answer as any);
      const results = await Promise.allSettled([batcher.fetch({ query: CASES, variables: {} }), batcher.fetch({ query: CUSTODY, variables: {} })]);
      assert.deepEqual(results.map((result) => result.status), ['rejected', 'rejected'], JSON.stringify(answer));
    }
  });

  it('fails every fetch of a merged call when the call fails', async () => {
    const batcher = new FetchBatcher(async () => { throw new Error('subgraph correction failed'); });
    const results = await Promise.allSettled([batcher.fetch({ query: CASES, variables: {} }), batcher.fetch({ query: CUSTODY, variables: {} })]);
    assert.deepEqual(results.map((result) => result.status === 'rejected' && (result.reason as Error).message), ['subgraph correction failed', 'subgraph correction failed']);
  });
});
