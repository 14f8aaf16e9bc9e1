// The stage rules over hand-built histories (histories.ts), consistent and contradictory:
// each test states a history and the status an analyst should read from it.
import assert from 'node:assert/strict';
import { readFacts } from '../facts.ts';
import { trackingStatus } from '../status.ts';
import {
  arrest, courtCase, custody, DOCKET, DOCKET_2, history, order, parole, probation, registration, sentenced, STAMP, warrant,
} from './histories.ts';

const keys = (records: Array<{ system: string; key: string }>) => records.map((r) => `${r.system} ${r.key}`);

describe('tracking stage rules', () => {
  describe('one source at a time', () => {
    it('gives NO_RECORD for an identity with nothing else, resting on MNI', () => {
      const status = trackingStatus(history({}));
      assert.equal(status.stage, 'NO_RECORD');
      assert.equal(status.since, null);
      assert.deepEqual(keys(status.basis), ['MNI 000100001']);
      assert.deepEqual(status.cases, []);
    });

    it('gives ARRESTED for a CCH arrest no court case has picked up yet', () => {
      const status = trackingStatus(history({ arrests: [arrest('CT2400000009', '2024-05-30')] }));
      assert.equal(status.stage, 'ARRESTED');
      assert.equal(status.since, '2024-05-30');
      assert.deepEqual(keys(status.basis), ['CCH CT2400000009']);
      assert.equal(status.basis[0].lastUpdated, null);
    });

    it('gives RELEASED for a CCH arrest whose charges are all disposed', () => {
      const status = trackingStatus(history({ arrests: [arrest('CT2400000009', '2024-01-30', '2024-03-01')] }));
      assert.deepEqual([status.stage, status.since], ['RELEASED', '2024-03-01']);
    });

    it('gives PRETRIAL from the arraignment of an open case', () => {
      const status = trackingStatus(history({ cases: [courtCase('OPEN')] }));
      assert.deepEqual([status.stage, status.since, status.custodyBasis], ['PRETRIAL', '2023-01-03', null]);
      assert.deepEqual(keys(status.basis), [`CCMS ${DOCKET}`]);
    });

    it('gives ADJUDICATED_AWAITING_SENTENCE from the date of the guilty plea', () => {
      const kase = courtCase('AWAITING_SENTENCE', {
        charges: [{ count: 1, description: 'Assault 3rd degree', plea: 'GUILTY', pleaDate: '2023-04-04', verdict: null, verdictDate: null, dispositionCode: null, dispositionDate: null }],
      });
      const status = trackingStatus(history({ cases: [kase] }));
      assert.deepEqual([status.stage, status.since], ['ADJUDICATED_AWAITING_SENTENCE', '2023-04-04']);
    });

    it('gives INCARCERATED (held pretrial) when DOC holds the person unsentenced on an open case', () => {
      const status = trackingStatus(history({ cases: [courtCase('OPEN')], custody: [custody('UNSENTENCED', { admissionDate: '2023-01-04' })] }));
      assert.deepEqual([status.stage, status.custodyBasis, status.since], ['INCARCERATED', 'HELD_PRETRIAL', '2023-01-04']);
      assert.deepEqual(keys(status.basis), [`CCMS ${DOCKET}`, 'OMIS 301234/1']);
      assert.match(status.summary, /^Incarcerated \(held pretrial\) since 2023-01-04: In DOC custody \(held pretrial\) at MWCI/);
    });

    it('gives INCARCERATED (sentenced) when the court sentenced to prison and DOC holds the person', () => {
      const status = trackingStatus(history({ cases: [sentenced({})], custody: [custody('SENTENCED')] }));
      assert.deepEqual([status.stage, status.custodyBasis, status.since], ['INCARCERATED', 'SENTENCED', '2023-05-10']);
    });

    it('gives RELEASED from the release date after a sentence served in full', () => {
      const released = custody('RELEASED', { releaseDate: '2024-01-09', releaseType: 'END_OF_SENTENCE' });
      const status = trackingStatus(history({ cases: [sentenced({})], custody: [released] }));
      assert.deepEqual([status.stage, status.since], ['RELEASED', '2024-01-09']);
      assert.equal(status.activeCaseCount, 0);
    });

    it('gives ON_PAROLE after a release to parole that Parole shows active', () => {
      const paroled = custody('PAROLED', { releaseDate: '2024-02-01', releaseType: 'PAROLE' });
      const status = trackingStatus(history({ cases: [sentenced({ termDays: 1460 })], custody: [paroled], parole: [parole('ACTIVE')] }));
      assert.deepEqual([status.stage, status.since], ['ON_PAROLE', '2024-02-01']);
      assert.deepEqual(keys(status.basis), [`CCMS ${DOCKET}`, 'OMIS 301234/1', 'PAROLE PR-2024-0000001']);
      // The stage and its date once, then the record: not "On parole since …: On parole since …".
      assert.match(status.summary, /^On parole since 2024-02-01: Parole case PR-2024-0000001 from 2024-02-01 until \d{4}-\d{2}-\d{2}$/);
    });

    it('gives ON_PROBATION after the prison part of a split sentence', () => {
      const released = custody('RELEASED', { releaseDate: '2023-11-10', releaseType: 'TRANSFER_TO_PROBATION' });
      const split = sentenced({ type: 'SPLIT', termDays: 730, suspendedDays: 548, probationMonths: 36 });
      const status = trackingStatus(history({ cases: [split], custody: [released], probation: [probation('ACTIVE', { startDate: '2023-11-10' })] }));
      assert.deepEqual([status.stage, status.since], ['ON_PROBATION', '2023-11-10']);
      assert.match(status.summary, /^On probation since 2023-11-10: PCMS probation \S+ from 2023-11-10 until \d{4}-\d{2}-\d{2}$/);
    });

    it('gives RELEASED when probation was completed, and after a fine', () => {
      const done = trackingStatus(history({
        cases: [sentenced({ type: 'PROBATION', termDays: 365, suspendedDays: 365, probationMonths: 12 })],
        probation: [probation('COMPLETED', { endDate: '2024-05-10' })],
      }));
      assert.deepEqual([done.stage, done.since], ['RELEASED', '2024-05-10']);
      const fined = trackingStatus(history({ cases: [sentenced({ type: 'FINE', termDays: 0 })] }));
      assert.deepEqual([fined.stage, fined.since], ['RELEASED', '2023-05-10']);
    });

    it('gives a stage to a person known to one agency only', () => {
      const docOnly = trackingStatus(history({ mniLastUpdated: null, custody: [custody('SENTENCED')] }));
      assert.deepEqual([docOnly.stage, docOnly.custodyBasis, docOnly.cases[0].docketNumber], ['INCARCERATED', 'SENTENCED', DOCKET]);
      const pcmsOnly = trackingStatus(history({ probation: [probation('ACTIVE')] }));
      assert.equal(pcmsOnly.stage, 'ON_PROBATION');
      const paroleOnly = trackingStatus(history({ parole: [parole('ACTIVE')] }));
      assert.equal(paroleOnly.stage, 'ON_PAROLE');
    });
  });

  describe('several cases', () => {
    it('takes the most restrictive stage and keeps each case its own', () => {
      const onProbation = sentenced({ type: 'PROBATION', termDays: 365, suspendedDays: 365, probationMonths: 24 });
      const newCase = courtCase('OPEN', { docketNumber: DOCKET_2, arraignmentDate: '2024-03-02', trackingNumber: 'CT2400000002' });
      const status = trackingStatus(history({ cases: [newCase, onProbation], probation: [probation('VIOLATION')] }));
      assert.deepEqual([status.stage, status.since], ['ON_PROBATION', '2023-05-10']);
      assert.deepEqual(status.cases.map((c) => [c.docketNumber, c.stage, c.since]), [[DOCKET_2, 'PRETRIAL', '2024-03-02'], [DOCKET, 'ON_PROBATION', '2023-05-10']]);
      assert.equal(status.activeCaseCount, 2);
      assert.match(status.summary, /; 1 other active case$/);
    });

    it('is released since the last thing ended when every case is over', () => {
      const old = sentenced({ type: 'FINE', termDays: 0, date: '2020-02-02' }, { docketNumber: DOCKET_2, trackingNumber: 'CT2000000002' });
      const status = trackingStatus(history({ cases: [sentenced({ type: 'FINE', termDays: 0 }), old] }));
      assert.deepEqual([status.stage, status.since], ['RELEASED', '2023-05-10']);
    });
  });

  describe('contradictions', () => {
    it('court sentenced to prison, DOC has no admission: CONFLICTING, not guessed', () => {
      const status = trackingStatus(history({ cases: [sentenced({})] }));
      assert.equal(status.stage, 'CONFLICTING');
      assert.equal(status.since, null);
      assert.deepEqual(status.contradictions.map((c) => c.kind), ['SENTENCED_WITHOUT_ADMISSION']);
      assert.match(status.contradictions[0].summary, /CCMS shows a sentence to 365 days of prison on H12M-CR23-0000001-S \(2023-05-10\), but OMIS has no admission/);
      assert.deepEqual(keys(status.contradictions[0].records), [`CCMS ${DOCKET}`]);
    });

    it('is no contradiction when the confirming system did not answer: rests on the source that did, says what is unconfirmed', () => {
      const prison = trackingStatus(history({ cases: [sentenced({})], unavailable: ['OMIS', 'PAROLE'] }));
      assert.deepEqual([prison.stage, prison.custodyBasis, prison.since, prison.contradictions], ['INCARCERATED', 'SENTENCED', '2023-05-10', []]);
      assert.match(prison.summary, /not confirmed: OMIS did not answer/);
      const probationOnly = trackingStatus(history({ cases: [sentenced({ type: 'PROBATION', termDays: 365, suspendedDays: 365, probationMonths: 24 })], unavailable: ['PCMS'] }));
      assert.deepEqual([probationOnly.stage, probationOnly.since, probationOnly.contradictions], ['ON_PROBATION', '2023-05-10', []]);
      const paroled = custody('PAROLED', { releaseDate: '2024-01-15', releaseType: 'PAROLE' });
      const toParole = trackingStatus(history({ cases: [sentenced({})], custody: [paroled], unavailable: ['PAROLE'] }));
      assert.deepEqual([toParole.stage, toParole.since, toParole.contradictions], ['ON_PAROLE', '2024-01-15', []]);
    });

    it('reports the same contradiction without letting it decide when custody on another case settles the answer', () => {
      const held = custody('UNSENTENCED', { docketNumber: DOCKET_2, admissionDate: '2024-04-01' });
      const open = courtCase('OPEN', { docketNumber: DOCKET_2, trackingNumber: 'CT2400000002', arraignmentDate: '2024-04-01' });
      const status = trackingStatus(history({ cases: [open, sentenced({})], custody: [held] }));
      assert.deepEqual([status.stage, status.custodyBasis], ['INCARCERATED', 'HELD_PRETRIAL']);
      assert.deepEqual(status.contradictions.map((c) => c.kind), ['SENTENCED_WITHOUT_ADMISSION']);
    });

    it('lets the contradiction decide when it could outrank the rest (pretrial vs possibly in prison)', () => {
      const open = courtCase('OPEN', { docketNumber: DOCKET_2, trackingNumber: 'CT2400000002', arraignmentDate: '2024-04-01' });
      const status = trackingStatus(history({ cases: [open, sentenced({})] }));
      assert.equal(status.stage, 'CONFLICTING');
      assert.deepEqual(status.cases.map((c) => c.stage).sort(), ['CONFLICTING', 'PRETRIAL']);
    });

    it('DOC holds as sentenced on a case the court shows pending', () => {
      const status = trackingStatus(history({ cases: [courtCase('OPEN')], custody: [custody('SENTENCED')] }));
      assert.equal(status.stage, 'CONFLICTING');
      assert.deepEqual(status.contradictions.map((c) => c.kind), ['CUSTODY_STATUS_DISAGREES']);
      assert.deepEqual(keys(status.contradictions[0].records), [`CCMS ${DOCKET}`, 'OMIS 301234/1']);
    });

    it('DOC holds pretrial on a case the court has sentenced to probation', () => {
      const status = trackingStatus(history({
        cases: [sentenced({ type: 'PROBATION', termDays: 365, suspendedDays: 365, probationMonths: 12 })],
        custody: [custody('UNSENTENCED')], probation: [probation('ACTIVE')],
      }));
      assert.deepEqual([status.stage, status.contradictions[0].kind], ['CONFLICTING', 'CUSTODY_STATUS_DISAGREES']);
    });

    it('released to parole with no parole case, and to probation with no probation case', () => {
      const paroled = custody('PAROLED', { releaseDate: '2024-02-01', releaseType: 'PAROLE' });
      const toParole = trackingStatus(history({ cases: [sentenced({ termDays: 1460 })], custody: [paroled] }));
      assert.deepEqual([toParole.stage, toParole.contradictions[0].kind], ['CONFLICTING', 'PAROLE_RELEASE_WITHOUT_PAROLE_CASE']);
      const noCase = trackingStatus(history({ cases: [sentenced({ type: 'PROBATION', termDays: 365, suspendedDays: 365, probationMonths: 12 })] }));
      assert.deepEqual([noCase.stage, noCase.contradictions[0].kind], ['CONFLICTING', 'PROBATION_SENTENCE_WITHOUT_CASE']);
    });

    it('parole active while DOC still holds the person', () => {
      const status = trackingStatus(history({ custody: [custody('SENTENCED', { admissionDate: '2023-05-10' })], parole: [parole('ACTIVE')] }));
      assert.equal(status.stage, 'INCARCERATED');
      assert.deepEqual(status.contradictions.map((c) => c.kind), ['SUPERVISED_WHILE_IN_CUSTODY']);
      assert.deepEqual(keys(status.contradictions[0].records), ['PAROLE PR-2024-0000001', 'OMIS 301234/1']);
    });

    it('notes a case list cut short without changing the stage', () => {
      const status = trackingStatus(history({ cases: [courtCase('OPEN')], casesTruncated: true }));
      assert.equal(status.stage, 'PRETRIAL');
      assert.deepEqual(status.contradictions.map((c) => c.kind), ['INCOMPLETE_CASE_LIST']);
    });
  });

  describe('overlays, freshness and missing agencies', () => {
    it('lists what matters at the door and nothing that is over', () => {
      const status = trackingStatus(history({
        warrants: [warrant('ACTIVE'), warrant('SERVED', { warrantNumber: 'WR-2022-0000009' })],
        orders: [order('ACTIVE'), order('EXPIRED', { orderNumber: 'PO-2020-0000001' })],
        registration: registration('NON_COMPLIANT'),
        probation: [probation('ABSCONDED', { violations: [{ date: '2024-02-02', description: 'Failed to report' }] })],
        parole: [parole('VIOLATION', { recordLastUpdated: '2024-05-05T10:00:00.000Z' })],
      }));
      assert.deepEqual(status.overlays.map((o) => [o.kind, o.since, `${o.record.system} ${o.record.key}`]), [
        ['ACTIVE_WARRANT', '2023-02-01', 'PRAWN WR-2023-0000001'],
        ['PROTECTIVE_ORDER', '2023-01-03', 'POR PO-2023-0000001'],
        ['REGISTERED_SEX_OFFENDER', '2024-01-15', 'SOR SOR-0000001'],
        ['ABSCONDER', '2024-02-02', 'PCMS PB-2023-0000001'],
        ['SUPERVISION_VIOLATION', '2024-05-05', 'PAROLE PR-2024-0000001'],
      ]);
      assert.match(status.overlays[2].summary, /non compliant, not compliant/);
      assert.equal(trackingStatus(history({ registration: registration('EXPIRED') })).overlays.length, 0);
    });

    it('says when the newest record it read was changed', () => {
      const status = trackingStatus(history({ cases: [courtCase('OPEN', { recordLastUpdated: '2025-01-01T09:00:00.000Z' })], warrants: [warrant('ACTIVE')] }));
      assert.equal(status.lastSourceChange, '2025-01-01T09:00:00.000Z');
      assert.equal(STAMP < status.lastSourceChange!, true);
    });

    it('names the systems of an agency that did not answer and rests on the others', () => {
      const facts = readFacts({
        sid: '000100001', recordLastUpdated: STAMP, arrests: [], sexOffenderRegistration: null,
        casesForTracking: null, warrantsForTracking: null, protectiveOrdersForTracking: null, probation: null,
        custody: [custody('SENTENCED')], parole: [],
      });
      const status = trackingStatus(facts);
      assert.deepEqual(status.unavailableSources, ['CCMS', 'PRAWN', 'POR', 'PCMS']);
      assert.deepEqual([status.stage, status.custodyBasis], ['INCARCERATED', 'SENTENCED']);
      assert.deepEqual(readFacts({ sid: '000100001' }).unavailable, ['MNI', 'CCH', 'SOR', 'CCMS', 'PRAWN', 'POR', 'PCMS', 'OMIS', 'PAROLE']);
    });

    it('tells CCH withheld from a role apart from DPS not answering', () => {
      const withheld = readFacts({
        sid: '000100001', recordLastUpdated: STAMP, arrests: null, sexOffenderRegistration: null,
        casesForTracking: { totalCount: 0, edges: [] }, warrantsForTracking: [], protectiveOrdersForTracking: [], probation: [], custody: [], parole: [],
      });
      assert.deepEqual(withheld.unavailable, ['CCH']);
    });
  });
});
