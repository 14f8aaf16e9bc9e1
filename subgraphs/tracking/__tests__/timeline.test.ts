// The timeline over a hand-built history: every kind of record gives its events, in date
// order, each naming its source record, with a line an analyst can read.
import assert from 'node:assert/strict';
import { timelineOf } from '../timeline.ts';
import { custody, DOCKET, fullHistory, history, order, parole, probation, warrant } from './histories.ts';

describe('tracking timeline', () => {
  it('tells every event in date order, each from its record', () => {
    const events = timelineOf(fullHistory());
    assert.deepEqual(events.map((e) => [e.date, e.kind, `${e.source.system} ${e.source.key}`]), [
      ['2023-01-02', 'ARREST', 'CCH CT2300000001'],
      ['2023-01-03', 'ARRAIGNMENT', `CCMS ${DOCKET}`],
      ['2023-01-03', 'PLEA', `CCMS ${DOCKET}`],
      ['2023-01-03', 'ORDER_ISSUED', 'POR PO-2023-0000001'],
      ['2023-02-01', 'WARRANT_ISSUED', 'PRAWN WR-2023-0000001'],
      ['2023-02-15', 'WARRANT_SERVED', 'PRAWN WR-2023-0000001'],
      ['2023-03-03', 'ORDER_MODIFIED', 'POR PO-2023-0000001'],
      ['2023-05-10', 'PLEA', `CCMS ${DOCKET}`],
      ['2023-05-10', 'DISPOSITION', `CCMS ${DOCKET}`],
      ['2023-05-10', 'SENTENCE', `CCMS ${DOCKET}`],
      ['2023-05-10', 'ADMISSION', 'OMIS 301234/1'],
      ['2023-06-20', 'TRANSFER', 'OMIS 301234/1'],
      ['2024-01-03', 'ORDER_EXPIRED', 'POR PO-2023-0000001'],
      ['2024-01-15', 'REGISTRATION', 'SOR SOR-0000001'],
      ['2024-02-01', 'RELEASE', 'OMIS 301234/1'],
      ['2024-02-01', 'PAROLE_START', 'PAROLE PR-2024-0000001'],
      ['2024-04-01', 'VERIFICATION', 'SOR SOR-0000001'],
    ]);
  });

  it('writes one line an analyst can read, counts of one day together', () => {
    const byKind = new Map(timelineOf(fullHistory()).map((e) => [`${e.date} ${e.kind}`, e.summary]));
    assert.equal(byKind.get('2023-01-02 ARREST'), 'Arrested by HARTFORD PD: LARCENY 3RD DEGREE (OTN CT2300000001)');
    assert.equal(byKind.get('2023-01-03 ARRAIGNMENT'), 'Arraigned on 2 counts: Sexual assault 4th degree; Breach of peace');
    assert.equal(byKind.get('2023-05-10 DISPOSITION'), 'Disposed: count 1 convicted; count 2 nolle');
    assert.equal(byKind.get('2023-05-10 SENTENCE'), 'Sentenced (incarceration): 1460 days, 1460 to serve');
    assert.equal(byKind.get('2023-06-20 TRANSFER'), 'Transferred from HCC to MWCI');
    assert.equal(byKind.get('2024-02-01 RELEASE'), 'Released from DOC custody (parole), inmate 301234');
    assert.equal(byKind.get('2023-02-15 WARRANT_SERVED'), 'Warrant WR-2023-0000001 served');
  });

  it('dates probation violations and ends, warrant and order closings, parole violations by the record stamp', () => {
    const events = timelineOf(history({
      probation: [probation('REVOKED', { violations: [{ date: '2024-01-05', description: 'New arrest' }], endDate: '2024-02-20' })],
      warrants: [warrant('VACATED', { closedDate: '2023-03-01' })],
      orders: [order('VACATED', { vacatedDate: '2023-02-02' })],
      parole: [parole('ABSCONDED', { recordLastUpdated: '2024-06-30T13:00:00.000Z' })],
    }));
    assert.deepEqual(events.map((e) => `${e.date} ${e.kind}`), [
      '2023-01-03 ORDER_ISSUED', '2023-02-01 WARRANT_ISSUED', '2023-02-02 ORDER_VACATED', '2023-03-01 WARRANT_VACATED',
      '2023-05-10 PROBATION_START', '2024-01-05 PROBATION_VIOLATION', '2024-02-01 PAROLE_START', '2024-02-20 PROBATION_END', '2024-06-30 PAROLE_VIOLATION',
    ]);
    assert.equal(events.find((e) => e.kind === 'PROBATION_END')!.summary, 'Probation PB-2023-0000001 ended (revoked)');
  });

  it('gives every event a distinct position', () => {
    const events = timelineOf(fullHistory());
    assert.equal(new Set(events.map((e) => e.position)).size, events.length);
  });
});
