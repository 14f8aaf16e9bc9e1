import assert from 'node:assert/strict';
import { chunk, manyByKey, oneByKey } from '../batch.ts';

describe('batch contract helpers', () => {
  const rows = [
    { sid: '000000003', n: 1 },
    { sid: '000000001', n: 2 },
    { sid: '000000003', n: 3 },
  ];

  it('oneByKey: one result per key, in key order, null for a missing key, first row wins', () => {
    assert.deepEqual(oneByKey(['000000001', '000000002', '000000003'], rows, (r) => r.sid), [rows[1], null, rows[0]]);
  });

  it('manyByKey: every row under its key, row order kept, empty list for a missing key', () => {
    assert.deepEqual(manyByKey(['000000003', '000000002', '000000001'], rows, (r) => r.sid), [[rows[0], rows[2]], [], [rows[1]]]);
  });

  it('answers repeated keys once each, as DataLoader may ask', () => {
    assert.deepEqual(manyByKey(['000000001', '000000001'], rows, (r) => r.sid), [[rows[1]], [rows[1]]]);
  });

  it('chunk: splits into pieces of at most n, nothing lost', () => {
    assert.deepEqual(chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
    assert.deepEqual(chunk([], 3), []);
  });
});
