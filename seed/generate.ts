// The synthetic life-cycle generator. For each offender it tells one consistent story:
// CCH arrest → CCMS arraignment and charges → plea, verdict, disposition → sentence →
// DOC admission, time calculation, release → probation (PCMS) or parole, with
// failure-to-appear and violation warrants (PRAWN), protective orders (POR), infractions
// (CIB) and sex-offender registration (SOR) where the story calls for them.
//
// Deterministic: offender i of seed s is the same person in every run and on every engine.
import type {
  CaseStory, ChargeStory, CustodyStory, GeneratorOptions, Offense, OffenderStory, ParoleStory,
  Person, PersonName, ProbationStory, ProtectiveOrderStory, SentenceStory, TimeCalculationStory, WarrantStory,
} from './story.ts';
import { addDays, daysBetween, maxDate, offenderRandom, type Random } from './random.ts';
import {
  AGENCIES, COURTS, FACILITIES, FEMALE_FIRST, INFRACTIONS, MALE_FIRST, OFFENSES, PAROLE_DISTRICTS,
  PROBATION_OFFICES, RELATIONSHIPS, SMT, STREETS, TOWNS,
} from './catalog.ts';
import { personIds, caseIds } from './identifiers.ts';
import { drawSurname } from './surnames.ts';

export const DEFAULT_AS_OF = '2026-11-01';

/** Generates `offenders` stories starting at index `start` (default 0). */
export function generateStories(options: GeneratorOptions): OffenderStory[] {
  const stories: OffenderStory[] = [];
  const start = options.start ?? 0;
  for (let index = start; index < start + options.offenders; index += 1) {
    stories.push(generateStory(options.seed, index, options.asOf ?? DEFAULT_AS_OF));
  }
  return stories;
}

/** One offender's whole story. */
export function generateStory(seed: number, index: number, asOf: string): OffenderStory {
  const rng = offenderRandom(seed, index);
  const ids = personIds(index);
  const person = makePerson(rng, ids, asOf);
  const story: OffenderStory = {
    person, cases: [], warrants: [], protectiveOrders: [], infractions: [], probations: [], custodies: [],
    timeCalculations: [], paroles: [], registration: null, lastUpdated: '',
  };

  const adulthood = addDays(person.dateOfBirth, 18 * 365 + 5);
  // Most histories are recent: the first arrest falls within the last twelve years.
  const earliest = maxDate(adulthood, addDays(asOf, -12 * 365));
  let cursor = addDays(earliest, rng.int(0, Math.max(1, Math.floor(daysBetween(earliest, asOf) * 0.85))));
  const arrests = rng.weighted([[1, 45], [2, 28], [3, 17], [4, 10]] as const);
  for (let k = 0; k < arrests && cursor < addDays(asOf, -2); k += 1) {
    const free = tellCase(rng, story, index, k, cursor, asOf);
    cursor = addDays(free, rng.int(60, 900));
  }
  addInfractions(rng, story, index, asOf);
  addCivilOrder(rng, story, asOf);
  story.lastUpdated = stamp(rng, latestDate(story, person.dateOfBirth));
  return story;
}

function makePerson(rng: Random, ids: ReturnType<typeof personIds>, asOf: string): Person {
  const sex = rng.weighted([['M', 80], ['F', 19], ['U', 1]] as const);
  const first = rng.pick(sex === 'F' ? FEMALE_FIRST : MALE_FIRST);
  const name: PersonName = {
    last: drawSurname(rng), first, middle: rng.chance(0.7) ? rng.pick(sex === 'F' ? FEMALE_FIRST : MALE_FIRST) : null,
    suffix: sex === 'M' && rng.chance(0.05) ? rng.pick(['JR', 'SR', 'III']) : null,
  };
  const aliases: PersonName[] = [];
  for (let a = rng.weighted([[0, 60], [1, 25], [2, 15]] as const); a > 0; a -= 1) {
    aliases.push(rng.chance(0.5)
      ? { ...name, first: name.first.slice(0, Math.max(3, name.first.length - 2)), middle: null }
      : { last: drawSurname(rng), first: name.first, middle: null, suffix: null });
  }
  const [town, zip] = rng.pick(TOWNS);
  return {
    sid: ids.sid, fbiNumber: rng.chance(0.7) ? ids.fbiNumber(rng) : null, name, aliases,
    dateOfBirth: addDays(asOf, -rng.int(19 * 365, 70 * 365)), sex,
    race: rng.weighted([['W', 55], ['B', 28], ['A', 3], ['I', 1], ['U', 13]] as const),
    heightInches: sex === 'F' ? rng.int(59, 70) : rng.int(64, 76), weightPounds: sex === 'F' ? rng.int(105, 220) : rng.int(135, 280),
    eyeColor: rng.weighted([['BRO', 60], ['BLU', 20], ['GRN', 8], ['HAZ', 10], ['GRY', 2]] as const),
    hairColor: rng.weighted([['BLK', 45], ['BRO', 35], ['BLN', 8], ['RED', 2], ['GRY', 6], ['BAL', 4]] as const),
    scarsMarksTattoos: rng.chance(0.5) ? [rng.pick(SMT)] : [],
    address: { street: `${rng.int(1, 999)} ${rng.pick(STREETS)}`, city: town, state: 'CT', zip },
  };
}

/**
 * Tells case k of offender `index`, arrested on `arrestDate`, and everything that follows
 * from it. Returns the day the person is next free to be arrested again.
 */
function tellCase(rng: Random, story: OffenderStory, index: number, k: number, arrestDate: string, asOf: string): string {
  const ids = caseIds(index, k, arrestDate);
  const court = rng.pick(COURTS);
  const agency = rng.pick(AGENCIES);
  // Arraigned within a few days of the arrest (never after the day the data describes).
  const arraigned = addDays(arrestDate, rng.int(1, 3));
  const arraignmentDate = arraigned > asOf ? asOf : arraigned;
  const offenses = pickOffenses(rng);
  const lead = offenses[0];
  const bondPosted = rng.chance(lead.offenseClass.startsWith('F') ? 0.55 : 0.9);
  const bond: CaseStory['bond'] = lead.offenseClass.startsWith('F')
    ? { type: rng.pick(['CASH', 'SURETY'] as const), amount: rng.int(5, 200) * 1000, posted: bondPosted }
    : { type: rng.pick(['PROMISE TO APPEAR', 'NON-SURETY'] as const), amount: rng.int(0, 5) * 500, posted: true };

  // How far the case has come by `asOf`.
  const dispositionDate = addDays(arraignmentDate, rng.int(45, 420));
  const open = dispositionDate >= asOf || (daysBetween(arraignmentDate, asOf) < 240 && rng.chance(0.5));
  const outcome = open ? 'OPEN' : rng.weighted([['PLEA', 55], ['TRIAL GUILTY', 5], ['ACQUITTED', 5], ['NOLLE', 25], ['DISMISSED', 10]] as const);
  const awaitingSentence = outcome === 'OPEN' && rng.chance(0.2);
  const convictedOn = outcome === 'OPEN' ? (awaitingSentence ? addDays(arraignmentDate, Math.max(1, Math.floor(daysBetween(arraignmentDate, asOf) / 2))) : null)
    : outcome === 'PLEA' || outcome === 'TRIAL GUILTY' ? dispositionDate : null;
  const charges = offenses.map((offense, i): ChargeStory => chargeFor(rng, offense, i, outcome, awaitingSentence, convictedOn, dispositionDate));
  const convicted = charges.some((c) => c.disposition === 'CONVICTED');
  const erased = !open && !convicted;
  const sentence = convicted && outcome !== 'OPEN' ? sentenceFor(rng, lead, dispositionDate) : null;

  const kase: CaseStory = {
    docketNumber: ids.docketNumber(court.code), court: court.code, courtName: court.name,
    arrest: { trackingNumber: ids.trackingNumber, date: arrestDate, arrestingOri: agency.ori, arrestingAgency: agency.name },
    arraignmentDate, charges, bond, sentence, erased,
    status: outcome === 'OPEN' ? (awaitingSentence ? 'AWAITING SENTENCE' : 'OPEN') : 'DISPOSED',
    nextHearing: outcome === 'OPEN' ? { date: addDays(asOf, rng.int(3, 60)), purpose: awaitingSentence ? 'SENTENCING' : rng.pick(['PRETRIAL', 'JURY SELECTION', 'MOTION', 'PLEA']) } : null,
    lastUpdated: '',
  };
  story.cases.push(kase);
  const lastDay = outcome === 'OPEN' ? asOf : dispositionDate;

  if (rng.chance(0.15)) addFailureToAppear(rng, story, kase, lastDay, outcome === 'OPEN');
  if (offenses.some((offense) => offense.familyViolence)) addCriminalOrder(rng, story, kase, outcome, lastDay, asOf);

  let free = lastDay;
  // Held pretrial when bond was not posted: DOC holds the person unsentenced.
  if (outcome === 'OPEN' && !bond.posted && lead.offenseClass.startsWith('F')) {
    addCustody(rng, story, index, kase, arraignmentDate, null, asOf);
    free = asOf;
  }
  if (sentence) free = serveSentence(rng, story, index, kase, sentence, bond.posted ? null : arraignmentDate, asOf);
  kase.lastUpdated = stamp(rng, outcome === 'OPEN' ? addDays(asOf, -rng.int(0, 30)) : (sentence?.date ?? dispositionDate));
  return free;
}

function pickOffenses(rng: Random): Offense[] {
  const count = rng.weighted([[1, 55], [2, 30], [3, 15]] as const);
  const offenses: Offense[] = [];
  for (let i = 0; i < count; i += 1) offenses.push(rng.weighted(OFFENSES));
  // The most serious charge leads the information.
  return offenses.sort((a, b) => a.offenseClass.localeCompare(b.offenseClass) || a.statute.localeCompare(b.statute));
}

function chargeFor(rng: Random, offense: Offense, i: number, outcome: string, awaitingSentence: boolean, convictedOn: string | null, dispositionDate: string): ChargeStory {
  const base: ChargeStory = { count: i + 1, offense, plea: null, pleaDate: null, verdict: null, verdictDate: null, disposition: null, dispositionDate: null };
  if (outcome === 'OPEN') {
    if (awaitingSentence && i === 0) return { ...base, plea: 'GUILTY', pleaDate: convictedOn, disposition: null };
    return { ...base, plea: rng.chance(0.6) ? 'NOT GUILTY' : null, pleaDate: null };
  }
  if (outcome === 'NOLLE' || outcome === 'DISMISSED') return { ...base, plea: 'NOT GUILTY', disposition: outcome, dispositionDate };
  if (outcome === 'ACQUITTED') return { ...base, plea: 'NOT GUILTY', verdict: 'NOT GUILTY', verdictDate: dispositionDate, disposition: 'NOT GUILTY', dispositionDate };
  // Convicted on the lead count; the others are usually nolled as part of the bargain.
  if (i > 0 && rng.chance(0.7)) return { ...base, plea: 'NOT GUILTY', disposition: 'NOLLE', dispositionDate };
  if (outcome === 'TRIAL GUILTY') return { ...base, plea: 'NOT GUILTY', verdict: 'GUILTY', verdictDate: dispositionDate, disposition: 'CONVICTED', dispositionDate };
  return { ...base, plea: rng.chance(0.85) ? 'GUILTY' : 'NOLO CONTENDERE', pleaDate: dispositionDate, disposition: 'CONVICTED', dispositionDate };
}

/** Sentence by class of the lead conviction (C.G.S. 53a-35a, 53a-36 ranges, shortened). */
function sentenceFor(rng: Random, lead: Offense, date: string): SentenceStory {
  const years = (n: number) => n * 365;
  const cls = lead.offenseClass;
  if (cls === 'FA') return { date, type: 'INCARCERATION', termDays: years(rng.int(25, 60)), suspendedDays: 0, probationMonths: 0, fineAmount: 0 };
  if (cls === 'FB') {
    const term = years(rng.int(5, 20));
    return rng.chance(0.5) ? { date, type: 'SPLIT', termDays: term, suspendedDays: Math.floor(term / 2), probationMonths: 60, fineAmount: 0 }
      : { date, type: 'INCARCERATION', termDays: term, suspendedDays: 0, probationMonths: 0, fineAmount: 0 };
  }
  if (cls === 'FC' || cls === 'FD' || cls === 'FU') {
    const term = years(rng.int(1, cls === 'FC' ? 10 : 5));
    return rng.weighted([
      [{ date, type: 'SPLIT', termDays: term, suspendedDays: term - rng.int(90, Math.max(91, Math.floor(term / 2))), probationMonths: 36, fineAmount: 0 }, 45],
      [{ date, type: 'INCARCERATION', termDays: term, suspendedDays: 0, probationMonths: 0, fineAmount: 0 }, 20],
      [{ date, type: 'PROBATION', termDays: term, suspendedDays: term, probationMonths: rng.pick([24, 36]), fineAmount: 0 }, 35],
    ] as const) as SentenceStory;
  }
  return rng.weighted([
    [{ date, type: 'FINE', termDays: 0, suspendedDays: 0, probationMonths: 0, fineAmount: rng.int(1, 10) * 50 }, 35],
    [{ date, type: 'CONDITIONAL DISCHARGE', termDays: 0, suspendedDays: 0, probationMonths: 0, fineAmount: 0 }, 25],
    [{ date, type: 'PROBATION', termDays: 365, suspendedDays: 365, probationMonths: rng.pick([12, 18, 24]), fineAmount: 0 }, 25],
    [{ date, type: 'INCARCERATION', termDays: rng.int(30, 364), suspendedDays: 0, probationMonths: 0, fineAmount: 0 }, 15],
  ] as const) as SentenceStory;
}

/** DOC time and release, then probation or parole. Returns the day the person is free. */
function serveSentence(rng: Random, story: OffenderStory, index: number, kase: CaseStory, sentence: SentenceStory, heldSince: string | null, asOf: string): string {
  const executed = sentence.termDays - sentence.suspendedDays;
  let free = sentence.date;
  if (executed > 0) {
    const custody = story.custodies.find((c) => c.docketNumber === kase.docketNumber)
      ?? addCustody(rng, story, index, kase, heldSince ?? sentence.date, sentence, asOf);
    const jailCreditDays = heldSince ? daysBetween(heldSince, sentence.date) : 0;
    const earnedCreditDays = Math.floor(Math.floor(executed / 30) * rng.pick([0, 2, 3, 5]));
    const start = addDays(sentence.date, -jailCreditDays);
    // Credit for time held pretrial can cover the whole term ("time served"): release is
    // then on the day of sentence, never before it.
    const maximumReleaseDate = maxDate(sentence.date, addDays(start, executed));
    const estimatedReleaseDate = maxDate(sentence.date, addDays(maximumReleaseDate, -Math.min(earnedCreditDays, executed - 1)));
    // C.G.S. 54-125a: parole eligibility after 50% (85% for violent offenses) of terms over two years.
    const violent = ['FA', 'FB'].includes(kase.charges[0].offense.offenseClass);
    const paroleEligibilityDate = executed > 730 && kase.charges[0].offense.offenseClass !== 'FA'
      ? addDays(start, Math.floor(executed * (violent ? 0.85 : 0.5))) : null;
    const calc: TimeCalculationStory = {
      docketNumber: kase.docketNumber, inmateNumber: custody.inmateNumber, sentenceDate: sentence.date, termDays: executed,
      jailCreditDays, earnedCreditDays, estimatedReleaseDate, maximumReleaseDate, paroleEligibilityDate, lastUpdated: stamp(rng, sentence.date),
    };
    story.timeCalculations.push(calc);
    custody.status = 'SENTENCED';
    const paroled = paroleEligibilityDate !== null && rng.chance(0.5) ? addDays(paroleEligibilityDate, rng.int(0, 120)) : null;
    if (paroled && paroled < estimatedReleaseDate && paroled <= asOf) {
      release(custody, paroled, 'PAROLE', rng);
      addParole(rng, story, index, custody, paroled, maximumReleaseDate, asOf);
      free = paroled;
    } else if (estimatedReleaseDate <= asOf) {
      release(custody, estimatedReleaseDate, sentence.probationMonths > 0 ? 'TRANSFER TO PROBATION' : 'END OF SENTENCE', rng);
      free = estimatedReleaseDate;
    } else {
      custody.lastUpdated = stamp(rng, custody.movements[custody.movements.length - 1].date);
      free = asOf;
    }
  }
  if (sentence.probationMonths > 0 && free < asOf) free = addProbation(rng, story, index, kase, sentence, free, asOf);
  if (kase.charges.some((c) => c.disposition === 'CONVICTED' && c.offense.sexOffense)) addRegistration(rng, story, index, kase, free, asOf);
  return free;
}

function addCustody(rng: Random, story: OffenderStory, index: number, kase: CaseStory, admissionDate: string, sentence: SentenceStory | null, asOf: string): CustodyStory {
  const women = story.person.sex === 'F';
  const intake = rng.pick(FACILITIES.filter((f) => f.intake && f.women === women));
  const custody: CustodyStory = {
    inmateNumber: personIds(index).inmateNumber, docketNumber: kase.docketNumber, admissionDate, facility: intake.code,
    custodyLevel: kase.charges[0].offense.offenseClass <= 'FB' ? rng.int(4, 5) : rng.int(2, 4),
    status: sentence ? 'SENTENCED' : 'UNSENTENCED', releaseDate: null, releaseType: null,
    movements: [{ date: admissionDate, fromFacility: null, toFacility: intake.code, reason: 'ADMISSION' }], lastUpdated: stamp(rng, admissionDate),
  };
  const transferOn = addDays(admissionDate, rng.int(20, 90));
  if (!women && (sentence || rng.chance(0.3)) && transferOn < asOf) {
    const to = rng.pick(FACILITIES.filter((f) => !f.intake && !f.women));
    custody.movements.push({ date: transferOn, fromFacility: intake.code, toFacility: to.code, reason: 'TRANSFER' });
    custody.facility = to.code;
  }
  story.custodies.push(custody);
  return custody;
}

function release(custody: CustodyStory, date: string, type: NonNullable<CustodyStory['releaseType']>, rng: Random): void {
  // Transfers dated after release did not happen.
  custody.movements = custody.movements.filter((m) => m.date < date);
  custody.facility = custody.movements[custody.movements.length - 1].toFacility;
  custody.movements.push({ date, fromFacility: custody.facility, toFacility: 'COMMUNITY', reason: type === 'PAROLE' ? 'PAROLE' : 'RELEASE' });
  custody.status = type === 'PAROLE' ? 'PAROLED' : 'RELEASED';
  custody.releaseDate = date;
  custody.releaseType = type;
  custody.lastUpdated = stamp(rng, date);
}

function addProbation(rng: Random, story: OffenderStory, index: number, kase: CaseStory, sentence: SentenceStory, start: string, asOf: string): string {
  const scheduledEndDate = addDays(start, Math.round(sentence.probationMonths * 30.4));
  const ended = scheduledEndDate <= asOf;
  const status = ended ? rng.weighted([['COMPLETED', 85], ['REVOKED', 15]] as const) : rng.weighted([['ACTIVE', 84], ['VIOLATION', 11], ['ABSCONDED', 5]] as const);
  const probation: ProbationStory = {
    caseNumber: supervisionNumber('PB', start, index, story.probations.length), docketNumber: kase.docketNumber, startDate: start, scheduledEndDate,
    endDate: null, status, officer: officerName(rng), office: rng.pick(PROBATION_OFFICES),
    conditions: pickConditions(rng, ['Report as directed', 'Substance abuse evaluation and treatment', 'No new arrests', 'Maintain employment', 'Random urinalysis', 'Anger management program']),
    violations: [], lastUpdated: '',
  };
  if (status !== 'ACTIVE' && status !== 'COMPLETED') {
    const lastPossible = ended ? scheduledEndDate : asOf;
    const violationDate = addDays(start, rng.int(30, Math.max(31, daysBetween(start, lastPossible) - 1)));
    const date = violationDate < lastPossible ? violationDate : addDays(lastPossible, -1);
    probation.violations.push({ date, description: status === 'ABSCONDED' ? 'Failed to report; whereabouts unknown' : rng.pick(['Positive drug test', 'New arrest', 'Failed to complete treatment program']) });
    const warrant = warrantFor(story, kase, 'VIOLATION OF PROBATION', date, rng);
    if (status === 'REVOKED') {
      const revoked = addDays(date, rng.int(10, 60));
      probation.endDate = revoked < asOf ? revoked : asOf;
      const served = addDays(date, rng.int(2, 9));
      warrant.status = 'served';
      warrant.closedDate = served < probation.endDate ? served : probation.endDate;
      warrant.lastUpdated = stamp(rng, warrant.closedDate);
    }
  } else if (status === 'COMPLETED') {
    probation.endDate = scheduledEndDate;
  }
  probation.lastUpdated = stamp(rng, probation.endDate ?? probation.violations[0]?.date ?? addDays(asOf, -rng.int(0, 60)));
  story.probations.push(probation);
  return probation.endDate ?? asOf;
}

function addParole(rng: Random, story: OffenderStory, index: number, custody: CustodyStory, start: string, scheduledEndDate: string, asOf: string): void {
  const ended = scheduledEndDate <= asOf;
  const status = ended ? 'COMPLETED' : rng.weighted([['ACTIVE', 90], ['ABSCONDED', 4], ['VIOLATION', 6]] as const);
  const officer = officerName(rng);
  const notes: ParoleStory['caseNotes'] = [];
  const last = ended ? scheduledEndDate : asOf;
  for (let n = rng.int(1, 5), date = start; n > 0; n -= 1) {
    date = addDays(date, rng.int(14, 90));
    if (date > last) break;
    const sensitive = rng.chance(0.2);
    notes.push({
      date, author: officer, contactType: rng.pick(['OFFICE VISIT', 'HOME VISIT', 'PHONE', 'COLLATERAL'] as const), sensitive,
      text: sensitive ? `Victim ${rng.pick(FEMALE_FIRST)} ${drawSurname(rng)} contacted; reports no contact from parolee.` : rng.pick(['Reported as scheduled; employment verified.', 'Home visit; residence approved.', 'Negative urinalysis.', 'Discussed treatment attendance.']),
    });
  }
  const parole: ParoleStory = {
    caseNumber: supervisionNumber('PR', start, index, story.paroles.length), inmateNumber: custody.inmateNumber, status, district: rng.pick(PAROLE_DISTRICTS), officer,
    startDate: start, scheduledEndDate, endDate: ended ? scheduledEndDate : null,
    conditions: pickConditions(rng, ['Report weekly', 'Curfew 9pm-6am', 'No contact with victim', 'Electronic monitoring', 'Substance abuse treatment', 'Maintain approved residence']),
    caseNotes: notes, lastUpdated: stamp(rng, notes[notes.length - 1]?.date ?? start),
  };
  story.paroles.push(parole);
  if (status === 'ABSCONDED' || status === 'VIOLATION') {
    // Parole violations are DOC matters (remand); PRAWN is not involved.
    parole.caseNotes.push({ date: addDays(last, -1) > start ? addDays(last, -1) : start, author: officer, contactType: 'COLLATERAL', sensitive: false, text: status === 'ABSCONDED' ? 'Parolee absconded; remand warrant requested.' : 'Violation report filed.' });
  }
}

function addFailureToAppear(rng: Random, story: OffenderStory, kase: CaseStory, lastDay: string, open: boolean): void {
  const span = Math.max(2, daysBetween(kase.arraignmentDate, lastDay));
  const issued = addDays(kase.arraignmentDate, rng.int(1, span - 1));
  const warrant = warrantFor(story, kase, 'FAILURE TO APPEAR', issued, rng);
  if (!open || rng.chance(0.5)) {
    const closed = addDays(issued, rng.int(1, 30));
    warrant.status = rng.chance(0.9) ? 'served' : 'vacated';
    warrant.closedDate = closed < lastDay ? closed : lastDay;
    warrant.lastUpdated = stamp(rng, warrant.closedDate);
  }
}

function warrantFor(story: OffenderStory, kase: CaseStory, type: WarrantStory['type'], issuedDate: string, rng: Random): WarrantStory {
  const sequence = story.warrants.length;
  const warrant: WarrantStory = {
    // At most one failure-to-appear and one violation warrant per case (four cases): eight numbers a person.
    warrantNumber: `WR-${issuedDate.slice(0, 4)}-${String(personSerial(story) * 8 + sequence).padStart(7, '0')}`, type, docketNumber: kase.docketNumber, court: kase.court,
    issuedDate, status: 'active', closedDate: null, bondAmount: rng.int(1, 50) * 1000, lastUpdated: stamp(rng, issuedDate),
  };
  story.warrants.push(warrant);
  return warrant;
}

/** Family-violence arrest: criminal protective order at arraignment (C.G.S. 54-63c, 46b-38c). */
function addCriminalOrder(rng: Random, story: OffenderStory, kase: CaseStory, outcome: string, lastDay: string, asOf: string): void {
  const issuedDate = kase.arraignmentDate;
  const convicted = kase.charges.some((c) => c.disposition === 'CONVICTED');
  const order: ProtectiveOrderStory = {
    orderNumber: orderNumber(story, issuedDate), type: 'CRIMINAL PROTECTIVE', docketNumber: kase.docketNumber, court: kase.court, issuedDate,
    expirationDate: outcome === 'OPEN' ? addDays(issuedDate, 365 + rng.int(0, 365)) : lastDay,
    modifiedDate: rng.chance(0.2) ? addDays(issuedDate, rng.int(7, Math.max(8, daysBetween(issuedDate, lastDay)))) : null,
    vacatedDate: null, conditions: pickConditions(rng, ['Do not assault, threaten, abuse, harass, follow, interfere with, or stalk the protected person', 'Stay away from the home of the protected person', 'No contact with the protected person in any manner', 'Surrender firearms and ammunition']),
    protectedPersons: [protectedPerson(rng, story)], lastUpdated: '',
  };
  if (order.modifiedDate && order.modifiedDate > order.expirationDate) order.modifiedDate = null;
  if (order.modifiedDate && order.modifiedDate > asOf) order.modifiedDate = null;
  story.protectiveOrders.push(order);
  // On conviction the court may issue a standing criminal protective order (C.G.S. 53a-40e).
  if (convicted && outcome !== 'OPEN' && rng.chance(0.5)) {
    story.protectiveOrders.push({
      ...order, orderNumber: orderNumber(story, lastDay), type: 'STANDING CRIMINAL PROTECTIVE', issuedDate: lastDay,
      expirationDate: addDays(lastDay, 365 * rng.int(5, 10)), modifiedDate: null, lastUpdated: stamp(rng, lastDay),
    });
  }
  order.lastUpdated = stamp(rng, order.modifiedDate ?? issuedDate);
}

function addCivilOrder(rng: Random, story: OffenderStory, asOf: string): void {
  if (!rng.chance(0.04)) return;
  const issuedDate = addDays(asOf, -rng.int(10, 1500));
  const vacated = rng.chance(0.15) ? addDays(issuedDate, rng.int(5, 100)) : null;
  story.protectiveOrders.push({
    orderNumber: orderNumber(story, issuedDate), type: 'CIVIL RESTRAINING', docketNumber: null, court: rng.pick(COURTS).code, issuedDate,
    expirationDate: addDays(issuedDate, 365), modifiedDate: null, vacatedDate: vacated && vacated < asOf ? vacated : null,
    conditions: ['Refrain from imposing any restraint upon the person or liberty of the applicant', 'Stay 100 yards away from the applicant'],
    protectedPersons: [protectedPerson(rng, story)], lastUpdated: stamp(rng, vacated && vacated < asOf ? vacated : issuedDate),
  });
}

function addInfractions(rng: Random, story: OffenderStory, index: number, asOf: string): void {
  const count = rng.weighted([[0, 60], [1, 25], [2, 10], [3, 5]] as const);
  for (let k = 0; k < count; k += 1) {
    const infraction = rng.pick(INFRACTIONS);
    const date = addDays(asOf, -rng.int(1, 3000));
    const recent = daysBetween(date, asOf) < 60;
    story.infractions.push({
      ticketNumber: `${String.fromCharCode(65 + k)}${String(index).padStart(7, '0')}`, date, statute: infraction.statute, description: infraction.description,
      amount: infraction.amount, status: recent ? rng.pick(['UNPAID', 'CONTESTED'] as const) : rng.weighted([['PAID', 90], ['DEFAULTED', 10]] as const),
      issuingOri: rng.pick(AGENCIES).ori, lastUpdated: stamp(rng, recent ? date : addDays(date, rng.int(5, 50))),
    });
  }
}

/** Sex-offender registration on release (C.G.S. 54-251; lifetime for 54-252 offenses). */
function addRegistration(rng: Random, story: OffenderStory, index: number, kase: CaseStory, releasedOn: string, asOf: string): void {
  if (story.registration) return;
  const lifetime = ['FA', 'FB'].includes(kase.charges[0].offense.offenseClass);
  const inCustody = releasedOn >= asOf;
  const registeredDate = inCustody ? kase.sentence!.date : releasedOn;
  const expirationDate = lifetime ? null : addDays(registeredDate, 3650);
  const compliant = rng.chance(0.88);
  const status = expirationDate && expirationDate < asOf ? 'EXPIRED' : inCustody ? 'INCARCERATED' : compliant ? 'ACTIVE' : 'NON-COMPLIANT';
  const lastVerifiedDate = status === 'ACTIVE' ? addDays(asOf, -rng.int(1, 85)) : addDays(registeredDate, rng.int(0, 30)) < asOf ? addDays(registeredDate, rng.int(0, 30)) : registeredDate;
  const [town, zip] = rng.pick(TOWNS);
  story.registration = {
    registrationNumber: `SOR-${String(index).padStart(7, '0')}`, docketNumber: kase.docketNumber, status, registeredDate, expirationDate,
    compliant: status === 'ACTIVE' || status === 'INCARCERATED' || status === 'EXPIRED', lastVerifiedDate,
    homeAddress: { street: `${rng.int(1, 999)} ${rng.pick(STREETS)}`, city: town, state: 'CT', zip }, lastUpdated: stamp(rng, lastVerifiedDate),
  };
}

function protectedPerson(rng: Random, story: OffenderStory) {
  return {
    name: { last: rng.chance(0.5) ? story.person.name.last : drawSurname(rng), first: rng.pick(FEMALE_FIRST), middle: null, suffix: null },
    dateOfBirth: addDays(story.person.dateOfBirth, rng.int(-3650, 9000)), relationship: rng.pick(RELATIONSHIPS),
  };
}

function orderNumber(story: OffenderStory, issuedDate: string): string {
  // At most two orders per case (four cases) plus one civil order: nine, so ten numbers a person.
  return `PO-${issuedDate.slice(0, 4)}-${String(personSerial(story) * 10 + story.protectiveOrders.length).padStart(7, '0')}`;
}

function supervisionNumber(prefix: string, start: string, index: number, k: number): string {
  return `${prefix}-${start.slice(0, 4)}-${String(index * 4 + k).padStart(7, '0')}`;
}

function personSerial(story: OffenderStory): number {
  return Number(story.person.sid) - 100_001;
}

function officerName(rng: Random): string {
  return `${rng.pick([...MALE_FIRST, ...FEMALE_FIRST]).charAt(0)}. ${drawSurname(rng)}`;
}

function pickConditions(rng: Random, pool: string[]): string[] {
  const chosen = pool.filter(() => rng.chance(0.45)).slice(0, 4);
  return chosen.length ? chosen : [pool[0]];
}

/** A timestamp on `date` at a random time of the working day, ISO UTC. */
function stamp(rng: Random, date: string): string {
  return `${date}T${String(rng.int(12, 21)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}.000Z`;
}

function latestDate(story: OffenderStory, fallback: string): string {
  const dates = [fallback, ...story.cases.map((c) => c.arrest.date)];
  return dates.sort()[dates.length - 1];
}
