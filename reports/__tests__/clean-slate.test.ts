// clean-slate's rules over hand-built people (the seed never makes some of these cases: an
// offense before 2000, a registrant without a sexual conviction, a statute with its
// subsection): each outcome, the clock from the most recent conviction, the order the
// rules are applied in, and what a withheld system leaves unchecked.
import assert from 'node:assert/strict';
import { convictionsOf, sentenceEnd } from '../definitions/clean-slate.ts';
import type { WalkState } from '../walk.ts';

const ON = '2030-01-01';
const open: WalkState = { withheld: new Set(), rollWithheld: false };

type Charge = { count?: number; statute?: string; offenseClass: string; familyViolence?: boolean; dispositionCode?: string | null; dispositionDate?: string | null };
function kase(docketNumber: string, arrestDate: string, charges: Charge[], sentence: Record<string, unknown> | null = null) {
  return {
    docketNumber, arrestDate, sentence,
    charges: charges.map((c, i) => ({ count: i + 1, statute: '53a-125b', familyViolence: false, dispositionCode: 'CONVICTED', dispositionDate: arrestDate, ...c })),
  };
}
const person = (cases: ReturnType<typeof kase>[], extra: Record<string, unknown> = {}) => ({
  sid: '000000001', courtCases: { edges: cases.map((node) => ({ node })) }, probation: [], custody: [], parole: [], sexOffenderRegistration: null, ...extra,
});
const outcomes = (p: Record<string, any>, state = open, on = ON) => convictionsOf(p, state, on).map((c) => `${c.docketNumber}/${c.count} ${c.outcome} ${c.erasableOn}`);

describe('clean-slate rules (C.G.S. 54-142a(e))', () => {
  it('erases a misdemeanour 7 and a class D felony 10 years after the most recent conviction, which an excluded conviction also moves', () => {
    const p = person([
      kase('A', '2015-03-01', [{ offenseClass: 'MA' }, { offenseClass: 'FD' }]),
      kase('B', '2021-06-15', [{ offenseClass: 'MB', familyViolence: true }]),
    ]);
    assert.deepEqual(outcomes(p, open, '2028-06-14'), ['A/1 waiting-period 2028-06-15', 'A/2 waiting-period 2031-06-15', 'B/1 family-violence 2028-06-15']);
    assert.deepEqual(outcomes(p, open, '2028-06-15'), ['A/1 erasable-misdemeanor 2028-06-15', 'A/2 waiting-period 2031-06-15', 'B/1 family-violence 2028-06-15']);
    assert.deepEqual(outcomes(p, open, '2031-06-15'), ['A/1 erasable-misdemeanor 2028-06-15', 'A/2 erasable-felony 2031-06-15', 'B/1 family-violence 2028-06-15']);
  });

  it('applies the exclusions in order: class A/B, family violence, sexual offence (any subsection), class C, unclassified felony, before 2000', () => {
    const p = person([
      kase('A', '2001-01-01', [
        { offenseClass: 'FB', familyViolence: true }, { offenseClass: 'MA', familyViolence: true, statute: '53a-73a' },
        { offenseClass: 'FC', statute: '53a-71(a)(1)' }, { offenseClass: 'FC' }, { offenseClass: 'FU' },
      ]),
      kase('B', '1999-12-31', [{ offenseClass: 'MC', dispositionDate: '2001-01-01' }]),
      kase('C', '2001-01-01', [{ offenseClass: 'MA', dispositionCode: null }]),
    ]);
    assert.deepEqual(convictionsOf(p, open, ON).map((c) => `${c.docketNumber}/${c.count} ${c.outcome}`), [
      'A/1 class-a-b-felony', 'A/2 family-violence', 'A/3 sexual-offense', 'A/4 class-c-felony', 'A/5 unclassified-felony', 'B/1 offense-before-2000',
    ]);
  });

  it('holds back a registrant whose registrable offence no conviction shows, but not one whose sexual conviction is shown', () => {
    const registered = { sexOffenderRegistration: { registrationNumber: 'SOR-1' } };
    assert.deepEqual(convictionsOf(person([kase('A', '2010-01-01', [{ offenseClass: 'MA' }])], registered), open, ON).map((c) => c.outcome), ['sex-offender-registrant']);
    assert.deepEqual(convictionsOf(person([kase('A', '2010-01-01', [{ offenseClass: 'MA' }, { offenseClass: 'FC', statute: '53a-71' }])], registered), open, ON).map((c) => c.outcome), ['erasable-misdemeanor', 'sexual-offense']);
    const withheld: WalkState = { withheld: new Set(['sexOffenderRegistration']), rollWithheld: false };
    assert.deepEqual(convictionsOf(person([kase('A', '2010-01-01', [{ offenseClass: 'MA' }])], registered), withheld, ON).map((c) => c.outcome), ['erasable-misdemeanor']);
  });

  it('holds back a person still serving: DOC custody on a sentenced docket, probation or parole running, or a court sentence ending after the date', () => {
    const sentenced = kase('A', '2010-01-01', [{ offenseClass: 'MA' }], { date: '2010-01-01', termDays: 365, suspendedDays: 365, probationMonths: 24 });
    const serving = (extra: Record<string, unknown>, state = open) => convictionsOf(person([sentenced], extra), state, ON).map((c) => c.outcome);
    assert.deepEqual(serving({}), ['erasable-misdemeanor']);
    assert.deepEqual(serving({ custody: [{ docketNumber: 'A', admissionDate: '2029-01-01', releaseDate: null }] }), ['sentence-not-completed']);
    assert.deepEqual(serving({ custody: [{ docketNumber: 'Z', admissionDate: '2029-01-01', releaseDate: null }] }), ['erasable-misdemeanor'], 'a pretrial hold on a docket with no sentence is not a sentence');
    assert.deepEqual(serving({ custody: [{ docketNumber: 'A', admissionDate: '2029-01-01', releaseDate: ON }] }), ['erasable-misdemeanor'], 'released on the date');
    assert.deepEqual(serving({ probation: [{ startDate: '2010-01-01', endDate: null }] }), ['sentence-not-completed'], 'an absconder has no end date');
    assert.deepEqual(serving({ parole: [{ startDate: '2029-12-31', endDate: '2030-06-01' }] }), ['sentence-not-completed']);
    assert.deepEqual(serving({ probation: [{ startDate: '2010-01-01', endDate: null }] }, { withheld: new Set(['probation']), rollWithheld: false }), ['erasable-misdemeanor'], 'PCMS withheld: not checked');
    const long = kase('A', '2010-01-01', [{ offenseClass: 'MA' }], { date: '2010-01-01', termDays: 9000, suspendedDays: 0, probationMonths: 0 });
    assert.deepEqual(convictionsOf(person([long]), open, ON).map((c) => c.outcome), ['sentence-not-completed']);
  });

  it('ends a sentence as imposed: sentence date + executed days + probation months', () => {
    assert.equal(sentenceEnd({ date: '2020-01-31', termDays: 100, suspendedDays: 70, probationMonths: 0 }), '2020-03-01');
    assert.equal(sentenceEnd({ date: '2020-01-01', termDays: 365, suspendedDays: 365, probationMonths: 18 }), '2021-07-01');
    assert.equal(sentenceEnd({ date: '2020-01-01', termDays: 0, suspendedDays: 0, probationMonths: 0 }), '2020-01-01');
  });

  it('has nothing for a person with no conviction, or when CCMS is withheld', () => {
    assert.deepEqual(convictionsOf(person([kase('A', '2010-01-01', [{ offenseClass: 'MA', dispositionCode: null }])]), open, ON), []);
    assert.deepEqual(convictionsOf(person([kase('A', '2010-01-01', [{ offenseClass: 'MA' }])]), { withheld: new Set(['courtCases']), rollWithheld: false }, ON), []);
  });
});
