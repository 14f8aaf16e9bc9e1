import assert from 'node:assert/strict';
import { generateStories, DEFAULT_AS_OF } from '../generate.ts';
import { parseDocket, parseSid, parseInmateNumber } from '../../subgraphs/shared/inputs.ts';

describe('synthetic life-cycle generator', () => {
  const stories = generateStories({ offenders: 2000, seed: 7 });

  it('is deterministic: same seed, same stories; another seed, other stories', () => {
    assert.deepEqual(generateStories({ offenders: 50, seed: 7 }), stories.slice(0, 50));
    assert.notDeepEqual(generateStories({ offenders: 50, seed: 8 }), stories.slice(0, 50));
  });

  it('gives the same offender whatever slice is generated', () => {
    assert.deepEqual(generateStories({ offenders: 10, seed: 7, start: 1500 }), stories.slice(1500, 1510));
  });

  it('numbers every record uniquely in the forms the subgraphs accept', () => {
    const seen = new Set<string>();
    const unique = (id: string) => {
      assert.ok(!seen.has(id), `duplicate identifier ${id}`);
      seen.add(id);
    };
    for (const story of stories) {
      assert.equal(parseSid(story.person.sid), story.person.sid);
      unique(story.person.sid);
      for (const kase of story.cases) {
        assert.equal(parseDocket(kase.docketNumber), kase.docketNumber);
        unique(kase.docketNumber);
      }
      for (const warrant of story.warrants) unique(warrant.warrantNumber);
      for (const order of story.protectiveOrders) unique(order.orderNumber);
      for (const ticket of story.infractions) unique(ticket.ticketNumber);
      for (const custody of story.custodies) assert.equal(parseInmateNumber(custody.inmateNumber), custody.inmateNumber);
    }
  });

  it('tells consistent life cycles across the agencies', () => {
    for (const { person, cases, custodies, timeCalculations, probations, registration, warrants } of stories) {
      assert.ok(person.dateOfBirth < DEFAULT_AS_OF);
      for (const kase of cases) {
        const convicted = kase.charges.some((c) => c.disposition === 'CONVICTED');
        assert.ok(kase.arrest.date <= kase.arraignmentDate, `${kase.docketNumber}: arraigned before arrest`);
        // C.G.S. 54-142a: a disposed case with no conviction is erased, and only such a case.
        assert.equal(kase.erased, kase.status === 'DISPOSED' && !convicted, kase.docketNumber);
        if (kase.sentence) {
          assert.ok(convicted);
          const executed = kase.sentence.termDays - kase.sentence.suspendedDays;
          const calc = timeCalculations.find((t) => t.docketNumber === kase.docketNumber);
          const custody = custodies.find((c) => c.docketNumber === kase.docketNumber);
          assert.equal(Boolean(calc), executed > 0, `${kase.docketNumber}: STC record iff executed time`);
          if (calc) {
            assert.equal(calc.termDays, executed);
            assert.ok(custody && custody.admissionDate <= kase.sentence.date);
            assert.ok(calc.estimatedReleaseDate <= calc.maximumReleaseDate);
            if (custody.releaseDate) assert.ok(custody.releaseDate <= DEFAULT_AS_OF && custody.releaseDate >= custody.admissionDate);
          }
        }
      }
      for (const probation of probations) {
        const kase = cases.find((c) => c.docketNumber === probation.docketNumber);
        assert.ok(kase?.sentence && kase.sentence.probationMonths > 0, `${probation.caseNumber}: probation without a probation sentence`);
        assert.ok(probation.startDate >= kase.sentence.date);
      }
      for (const warrant of warrants) {
        assert.ok(cases.some((c) => c.docketNumber === warrant.docketNumber));
        assert.equal(warrant.closedDate === null, warrant.status === 'active');
      }
      if (registration) {
        const kase = cases.find((c) => c.docketNumber === registration.docketNumber);
        assert.ok(kase?.charges.some((c) => c.disposition === 'CONVICTED' && c.offense.sexOffense));
      }
    }
  });

  it('covers every stage and source system somewhere in a demo-sized population', () => {
    const some = (test: (s: (typeof stories)[number]) => boolean) => stories.some(test);
    assert.ok(some((s) => s.cases.some((c) => c.status === 'OPEN')), 'pretrial case');
    assert.ok(some((s) => s.cases.some((c) => c.status === 'AWAITING SENTENCE')), 'awaiting sentence');
    assert.ok(some((s) => s.cases.some((c) => c.erased)), 'erased case');
    assert.ok(some((s) => s.custodies.some((c) => c.releaseDate === null)), 'in custody');
    assert.ok(some((s) => s.paroles.some((p) => p.status === 'ACTIVE')), 'on parole');
    assert.ok(some((s) => s.probations.some((p) => p.status === 'ACTIVE')), 'on probation');
    assert.ok(some((s) => s.warrants.some((w) => w.status === 'active' && w.type === 'FAILURE TO APPEAR')), 'FTA warrant');
    assert.ok(some((s) => s.warrants.some((w) => w.type === 'VIOLATION OF PROBATION')), 'VOP warrant');
    assert.ok(some((s) => s.protectiveOrders.some((o) => o.type === 'CIVIL RESTRAINING')), 'restraining order');
    assert.ok(some((s) => s.registration !== null), 'SOR registration');
    assert.ok(some((s) => s.infractions.length > 0), 'infraction');
  });
});
