import assert from 'node:assert/strict';
import { GraphQLError } from 'graphql';
import { checkRange, parseDate, parseDocket, parseFirst, parseInmateNumber, parseSid } from '../inputs.ts';
import { decodeCursor, encodeCursor, pageOf, type Page } from '../cursor.ts';

/** Asserts `fn` throws BAD_USER_INPUT whose message matches `message`. */
function refuses(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (error: GraphQLError) => error.extensions?.code === 'BAD_USER_INPUT' && message.test(error.message));
}

describe('shared argument checks', () => {
  it('pads a SID and refuses what is not one', () => {
    assert.equal(parseSid('123456'), '000123456');
    assert.equal(parseSid(' 000123456 '), '000123456');
    for (const bad of ['', '0', '1234567890', '12-3456', 'ABC']) refuses(() => parseSid(bad), /expected 9 digits, e\.g\. 000123456/);
  });

  it('accepts a docket with or without hyphens and returns one canonical form', () => {
    for (const form of ['H12M-CR19-0123456-S', 'H12MCR190123456S', 'h12m-cr19-0123456-s', 'H12MCR19-0123456-S']) assert.equal(parseDocket(form), 'H12M-CR19-0123456-S');
    for (const bad of ['H12M-CR19', 'H12M-CR19-012345-S', '12M-CR19-0123456-S']) refuses(() => parseDocket(bad), /expected e\.g\. H12M-CR19-0123456-S/);
  });

  it('checks inmate numbers', () => {
    assert.equal(parseInmateNumber('301234'), '301234');
    refuses(() => parseInmateNumber('30123'), /6 or 7 digits/);
  });

  it('refuses impossible dates and backwards ranges', () => {
    assert.equal(parseDate('2024-02-29', 'from'), '2024-02-29');
    for (const bad of ['2023-02-29', '2024-13-01', '2024-1-5', 'yesterday', '1850-01-01']) refuses(() => parseDate(bad, 'from'), /from ".*" is not a date; expected .*YYYY-MM-DD/);
    refuses(() => checkRange('2024-03-02', '2024-03-01'), /from \(2024-03-02\) is after to \(2024-03-01\)/);
    checkRange('2024-03-01', '2024-03-01');
  });

  it('keeps page sizes within 1..100, 20 by default', () => {
    assert.equal(parseFirst(undefined), 20);
    assert.equal(parseFirst(100), 100);
    for (const bad of [0, 101, -1, 2.5]) refuses(() => parseFirst(bad), /expected a whole number from 1 to 100/);
  });
});

describe('cursors', () => {
  const rows = ['A', 'B', 'C', 'D', 'E'].map((name, i) => ({ name, i }));
  const keyOf = (row: { name: string; i: number }) => [row.name, row.i];

  it('round-trips a key and refuses a cursor of another field or a made-up one', () => {
    const cursor = encodeCursor('warrants', ['2024-01-01', 'WR-2024-0000001']);
    assert.deepEqual(decodeCursor('warrants', cursor, 2), ['2024-01-01', 'WR-2024-0000001']);
    refuses(() => decodeCursor('releases', cursor, 2), /not a cursor of releases; expected the endCursor of a previous page of releases/);
    refuses(() => decodeCursor('warrants', 'bogus', 2), /not a cursor of warrants/);
    refuses(() => decodeCursor('warrants', cursor, 3), /not a cursor of warrants/);
  });

  it('pages an in-memory list without gaps or repeats', () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 10; guard += 1) {
      const page: Page<(typeof rows)[number]> = pageOf('list', rows, 2, after, keyOf, ['asc', 'asc']);
      seen.push(...page.edges.map((edge) => edge.node.name));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    assert.deepEqual(seen, ['A', 'B', 'C', 'D', 'E']);
  });

  it('loses nothing when the row a cursor points at is gone by the next page', () => {
    const newestFirst = [['2024-05-01', 'D5'], ['2024-04-01', 'D4'], ['2024-03-01', 'D3'], ['2024-02-01', 'D2']].map(([date, docket]) => ({ date, docket }));
    const key = (row: { date: string; docket: string }) => [row.date, row.docket];
    const page1 = pageOf('cases', newestFirst, 2, null, key, ['desc', 'desc']);
    assert.deepEqual(page1.edges.map((e) => e.node.docket), ['D5', 'D4']);
    const withoutD4 = newestFirst.filter((row) => row.docket !== 'D4');
    const page2 = pageOf('cases', withoutD4, 2, page1.pageInfo.endCursor, key, ['desc', 'desc']);
    assert.deepEqual(page2.edges.map((e) => e.node.docket), ['D3', 'D2']);
  });
});
