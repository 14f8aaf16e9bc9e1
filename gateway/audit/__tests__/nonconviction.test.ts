// The disclosure walk (nonconviction.ts) over answer shapes a client can make with aliases,
// fragments and repeated fields, and over answers an outage leaves half empty: every
// disclosure is recorded against its person, and no hidden key reaches the client. The
// security suite runs the same through the whole stack (test/security-audit.test.ts); these
// cover the shapes the seeded data cannot produce on demand (a null hidden owner).
import assert from 'node:assert/strict';
import { getOperationAST, parse } from 'graphql';
import { takeDisclosures } from '../nonconviction.ts';
import { AUDIT_SID_KEY as H } from '../subjects.ts';

const disclose = (query: string, data: Record<string, unknown>, variables: Record<string, unknown> = {}) => {
  const document = parse(query);
  return takeDisclosures({ operation: getOperationAST(document), document, variables }, data);
};

describe('the disclosure walk beside the operation (C.G.S. 54-142h(c))', () => {
  it('ties a pending case to its person when its fields are split over two selections of the same field', () => {
    const data = { offender: { [H]: 'A', courtCases: { edges: [{ node: { docketNumber: 'D1', status: 'OPEN' } }] } } };
    const found = disclose(`{ offender(sid: "A") { ${H}: sid courtCases { edges { node { docketNumber } } } } ...F } fragment F on Query { offender(sid: "A") { ${H}: sid courtCases { edges { node { status } } } } }`, data);
    assert.deepEqual(found, { sids: ['A'], nonconviction: [{ sid: 'A', what: ['case D1 pending'] }] });
    assert.deepEqual(data, { offender: { courtCases: { edges: [{ node: { docketNumber: 'D1', status: 'OPEN' } }] } } }, 'the hidden key is removed');
  });

  it('reads an arrest charge\'s court disposition under every alias it was asked by', () => {
    for (const selection of ['courtDisposition { date } courtDisposition { code }', 'a: courtDisposition { date } b: courtDisposition { c: code }']) {
      const charge = selection.startsWith('a:') ? { sequence: 2, a: { date: '2020-01-01' }, b: { c: 'NOLLE' } } : { sequence: 2, courtDisposition: { date: '2020-01-01', code: 'NOLLE' } };
      const found = disclose(`{ offender(sid: "A") { ${H}: sid arrests { charges { sequence ${selection} } } } }`, { offender: { [H]: 'A', arrests: [{ charges: [charge] }] } });
      assert.deepEqual(found.nonconviction, [{ sid: 'A', what: ['arrest charge 2 NOLLE'] }], selection);
    }
  });

  it('carries the docket number into a second selection of the same case', () => {
    const found = disclose(`{ courtCase(docketNumber: "D1") { docketNumber ${H}: offender { sid } } ...C } fragment C on Query { courtCase(docketNumber: "D1") { charges { count dispositionCode } } }`,
      { courtCase: { docketNumber: 'D1', [H]: { sid: 'A' }, charges: [{ count: 2, dispositionCode: 'DISMISSED' }] } });
    assert.deepEqual(found.nonconviction, [{ sid: 'A', what: ['case D1 charge 2 DISMISSED'] }]);
  });

  it('removes a hidden owner that came back null (the agency that names the person did not answer)', () => {
    const data = { courtCase: { docketNumber: 'D1', status: 'OPEN', [H]: null }, searchOffenders: { edges: [{ cursor: 'c', [H]: null }] } };
    const found = disclose(`{ courtCase(docketNumber: "D1") { docketNumber status ${H}: offender { sid } } searchOffenders(lastName: "X") { edges { cursor ${H}: node { sid } } } }`, data);
    assert.deepEqual(found, { sids: [], nonconviction: [] });
    assert.deepEqual(data, { courtCase: { docketNumber: 'D1', status: 'OPEN' }, searchOffenders: { edges: [{ cursor: 'c' }] } });
  });

  it('counts SIDs shown under any alias, sid arguments of fields that answered, and never an aliased field as the person', () => {
    const found = disclose(`query Q($s: ID!) { offender(sid: $s) { name { last } ${H}: sid courtCases { edges { node { sid: trackingNumber d: docketNumber s: status } } } } other: offender(sid: "B") { ${H}: sid } gone: offender(sid: "C") { ${H}: sid } }`,
      { offender: { name: { last: 'X' }, [H]: 'A', courtCases: { edges: [{ node: { sid: 'CT19', d: 'D9', s: 'OPEN' } }] } }, other: { [H]: 'B' }, gone: null }, { s: 'A' });
    // CT19 is a value of a field named sid in the answer (an aliased trackingNumber): listed, as the old walk did, but the case stays A's.
    assert.deepEqual(found, { sids: ['A', 'B'], nonconviction: [{ sid: 'A', what: ['case D9 pending'] }] });
  });

  it('reads keys as field names when no operation was resolved, and still removes the hidden keys', () => {
    const data = { offender: { [H]: 'A', courtCases: { edges: [{ node: { docketNumber: 'D1', status: 'OPEN' } }] } } };
    assert.deepEqual(takeDisclosures({}, data), { sids: ['A'], nonconviction: [{ sid: 'A', what: ['case D1 pending'] }] });
    assert.equal(H in data.offender, false);
  });
});
