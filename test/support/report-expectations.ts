// What each report should say, computed by the TEST from the generator's stories (the
// same stories the stack's stores were seeded with), independently of reports/: every
// rule of reports/README.md restated over the story objects. Erased cases (C.G.S.
// 54-142a) and everything tied to their dockets are left out, as the stores must.
import type { OffenderStory } from '../../seed/story.ts';

const SEVERITY = ['FA', 'FB', 'FC', 'FD', 'FE', 'FU', 'MA', 'MB', 'MC', 'MD', 'MU'];
const plusDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const plusYears = (date: string, years: number) => {
  const d = new Date(Date.UTC(Number(date.slice(0, 4)) + years, Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))));
  return d.toISOString().slice(0, 10);
};
const days = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
const bump = (map: Map<string, number>, key: string, by = 1) => map.set(key, (map.get(key) ?? 0) + by);
const enumOf = (value: string) => value.toUpperCase().replace(/[ -]/g, '_');

function erasedDockets(story: OffenderStory): Set<string> {
  return new Set(story.cases.filter((c) => c.erased).map((c) => c.docketNumber));
}

/** Active warrants on `on` by "court|band", and issued/served in the period by "court|TYPE". */
export function expectedWarrants(stories: OffenderStory[], on: string, from: string, to: string) {
  const active = new Map<string, number>();
  const issued = new Map<string, number>();
  const served = new Map<string, number>();
  const band = (age: number) => (age < 30 ? 'UNDER_30_DAYS' : age < 90 ? 'DAYS_30_TO_89' : age < 365 ? 'DAYS_90_TO_364' : age < 730 ? 'YEARS_1_TO_2' : age < 1826 ? 'YEARS_2_TO_5' : 'YEARS_5_AND_OVER');
  for (const story of stories) {
    const erased = erasedDockets(story);
    for (const w of story.warrants) {
      if (erased.has(w.docketNumber)) continue;
      if (w.issuedDate <= on && (w.closedDate === null || w.closedDate > on)) bump(active, `${w.court}|${band(days(w.issuedDate, on))}`);
      if (w.issuedDate >= from && w.issuedDate <= to) bump(issued, `${w.court}|${enumOf(w.type)}`);
      if (w.status === 'served' && w.closedDate && w.closedDate >= from && w.closedDate <= to) bump(served, `${w.court}|${enumOf(w.type)}`);
    }
  }
  return { active, issued, served };
}

/** Orders in effect on `on` by TYPE, and of them expiring within `window` days. */
export function expectedOrders(stories: OffenderStory[], on: string, window: number) {
  const inEffect = new Map<string, number>();
  const expiring = new Map<string, number>();
  for (const story of stories) {
    const erased = erasedDockets(story);
    for (const o of story.protectiveOrders) {
      if (o.docketNumber && erased.has(o.docketNumber)) continue;
      if (o.issuedDate > on || o.expirationDate < on || (o.vacatedDate !== null && o.vacatedDate <= on)) continue;
      bump(inEffect, enumOf(o.type));
      if (o.expirationDate > on && o.expirationDate <= plusDays(on, window)) bump(expiring, enumOf(o.type));
    }
  }
  return { inEffect, expiring };
}

/** DOC custody on `on` by "facility|level" (facility from the movements), probation by "office|STATUS". */
export function expectedPopulation(stories: OffenderStory[], on: string) {
  const custody = new Map<string, number>();
  const probation = new Map<string, number>();
  for (const story of stories) {
    const erased = erasedDockets(story);
    for (const c of story.custodies) {
      if (erased.has(c.docketNumber) || c.admissionDate > on || (c.releaseDate !== null && c.releaseDate <= on)) continue;
      const placed = c.movements.filter((m) => m.date <= on && (m.reason === 'ADMISSION' || m.reason === 'TRANSFER')).at(-1);
      bump(custody, `${placed?.toFacility ?? c.facility}|${c.custodyLevel}`);
    }
    for (const p of story.probations) {
      if (erased.has(p.docketNumber) || p.startDate > on || (p.endDate !== null && p.endDate <= on)) continue;
      bump(probation, `${p.office}|${p.status}`);
    }
  }
  return { custody, probation };
}

interface CycleFacts { court: string; cls: string; arrest: string; arraigned: string; disposed: string | null; convicted: boolean; sentence: string | null; admitted: boolean }

/** One fact per visible (not erased) case: the arrest behind it and how far it went. */
function cycles(stories: OffenderStory[]): CycleFacts[] {
  const out: CycleFacts[] = [];
  for (const story of stories) {
    for (const c of story.cases) {
      if (c.erased) continue;
      const classes = c.charges.map((charge) => charge.offense.offenseClass).sort((a, b) => SEVERITY.indexOf(a) - SEVERITY.indexOf(b));
      const allDisposed = c.charges.every((charge) => charge.disposition !== null);
      out.push({
        court: c.court, cls: classes[0], arrest: c.arrest.date, arraigned: c.arraignmentDate,
        disposed: allDisposed ? c.charges.map((charge) => charge.dispositionDate ?? '').sort().at(-1)! : null,
        convicted: c.charges.some((charge) => charge.disposition === 'CONVICTED'),
        sentence: c.sentence ? enumOf(c.sentence.type) : null,
        admitted: story.custodies.some((k) => k.docketNumber === c.docketNumber && k.admissionDate >= c.arrest.date),
      });
    }
  }
  return out;
}

/** case-processing "by court": court → stage counts, for arrests dated in the period. */
export function expectedCaseProcessing(stories: OffenderStory[], from: string, to: string) {
  const byCourt = new Map<string, Record<string, number>>();
  for (const f of cycles(stories)) {
    if (f.arrest < from || f.arrest > to) continue;
    const row = byCourt.get(f.court) ?? { arrests: 0, arraigned: 0, disposed: 0, convicted: 0, sentenced: 0, admitted: 0 };
    row.arrests += 1;
    row.arraigned += 1;
    if (f.disposed) row.disposed += 1;
    if (f.convicted && f.disposed) row.convicted += 1;
    if (f.sentence) row.sentenced += 1;
    if (f.admitted) row.admitted += 1;
    byCourt.set(f.court, row);
  }
  return byCourt;
}

/** time-to-disposition "by charge class": class → disposed, medians and the 12-month share. */
export function expectedTimeToDisposition(stories: OffenderStory[], from: string, to: string) {
  const groups = new Map<string, { arrest: number[]; arraignment: number[] }>();
  for (const f of cycles(stories)) {
    if (!f.disposed || f.disposed < from || f.disposed > to) continue;
    const g = groups.get(f.cls) ?? { arrest: [], arraignment: [] };
    g.arrest.push(days(f.arrest, f.disposed));
    g.arraignment.push(days(f.arraigned, f.disposed));
    groups.set(f.cls, g);
  }
  const median = (values: number[]) => {
    const s = [...values].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  return new Map([...groups].map(([cls, g]) => [cls, {
    disposed: g.arrest.length, medianArrest: median(g.arrest), medianArraignment: median(g.arraignment),
    within12: Number((g.arrest.filter((d) => d <= 365).length / g.arrest.length).toFixed(4)),
  }]));
}

/** recidivism, statewide: people first released in the period, and re-arrested within 1, 2, 3 years. */
export function expectedRecidivism(stories: OffenderStory[], from: string, to: string) {
  let released = 0;
  const rearrested = [0, 0, 0];
  for (const story of stories) {
    const erased = erasedDockets(story);
    const release = story.custodies.filter((c) => !erased.has(c.docketNumber) && c.releaseDate && c.releaseDate >= from && c.releaseDate <= to)
      .map((c) => c.releaseDate!).sort()[0];
    if (!release) continue;
    released += 1;
    const arrests = story.cases.filter((c) => !c.erased).map((c) => c.arrest.date);
    [1, 2, 3].forEach((years, i) => {
      if (arrests.some((date) => date > release && date <= plusYears(release, years))) rearrested[i] += 1;
    });
  }
  return { released, rearrested };
}

/**
 * discrepancies: one key per finding, `rule|sid|record` (the docket, OTN or case number the
 * rule is about, dockets without hyphens), from the stories as the stores hold them.
 */
export function expectedDiscrepancies(stories: OffenderStory[], asOf: string): string[] {
  const keys: string[] = [];
  const bare = (docket: string) => docket.replace(/-/g, '');
  for (const story of stories) {
    const sid = story.person.sid;
    const visible = story.cases.filter((c) => !c.erased);
    const erased = erasedDockets(story);
    const custody = story.custodies.filter((k) => !erased.has(k.docketNumber));
    for (const c of visible) {
      const s = c.sentence;
      if (s && (s.type === 'INCARCERATION' || s.type === 'SPLIT') && plusDays(s.date, 14) < asOf && !custody.some((k) => bare(k.docketNumber) === bare(c.docketNumber) && k.admissionDate <= plusDays(s.date, 14))) {
        keys.push(`sentence-without-admission|${sid}|${bare(c.docketNumber)}`);
      }
    }
    for (const k of custody) if (!visible.some((c) => bare(c.docketNumber) === bare(k.docketNumber))) keys.push(`custody-without-court-case|${sid}|${bare(k.docketNumber)}`);
    for (const c of visible) if (plusDays(c.arrest.date, 90) < asOf && !visible.some((other) => other.arrest.trackingNumber === c.arrest.trackingNumber)) keys.push(`arrest-without-court-case|${sid}|${c.arrest.trackingNumber}`);
    for (const p of story.probations) {
      if (erased.has(p.docketNumber)) continue;
      const type = visible.find((c) => c.docketNumber === p.docketNumber)?.sentence?.type;
      if (type !== 'PROBATION' && type !== 'SPLIT') keys.push(`probation-without-probation-sentence|${sid}|${p.caseNumber}`);
    }
  }
  return keys.sort();
}

/**
 * clean-slate (C.G.S. 54-142a(e)) from the stories: every conviction (count CONVICTED) of a
 * case that is not erased, with the outcome the README's rules give as of `on`, the first
 * rule that applies winning. `without` names the systems the caller may not see
 * ('PCMS', 'Parole', 'SOR', 'OMIS'): their rules are checked without them. Keys of the
 * erasable ones are `sid|docket|count|erasableOn`.
 */
export function expectedCleanSlate(stories: OffenderStory[], on: string, without: string[] = []) {
  const erasable: string[] = [];
  const outcomes = new Map<string, number>();
  const during = (start: string, end: string | null) => start <= on && (end === null || end > on);
  const monthsLater = (date: string, months: number) => {
    const d = new Date(`${date}T00:00:00Z`);
    d.setUTCMonth(d.getUTCMonth() + months);
    return d.toISOString().slice(0, 10);
  };
  for (const story of stories) {
    const visible = story.cases.filter((c) => !c.erased);
    const erased = erasedDockets(story);
    const convictions = visible.flatMap((c) => c.charges.filter((ch) => ch.disposition === 'CONVICTED').map((ch) => ({ c, ch, date: ch.dispositionDate ?? c.sentence?.date ?? c.arrest.date })));
    if (!convictions.length) continue;
    const latest = convictions.map((x) => x.date).sort().at(-1)!;
    const sentencedDockets = new Set(visible.filter((c) => c.sentence).map((c) => c.docketNumber));
    const paroleVisible = (inmate: string) => {
      const dockets = story.custodies.filter((k) => k.inmateNumber === inmate).map((k) => k.docketNumber);
      return !(dockets.length > 0 && dockets.every((d) => erased.has(d)));
    };
    const serving = (!without.includes('OMIS') && story.custodies.some((k) => sentencedDockets.has(k.docketNumber) && during(k.admissionDate, k.releaseDate)))
      || (!without.includes('PCMS') && story.probations.some((p) => !erased.has(p.docketNumber) && during(p.startDate, p.endDate)))
      || (!without.includes('Parole') && story.paroles.some((p) => paroleVisible(p.inmateNumber) && during(p.startDate, p.endDate)))
      || visible.some((c) => c.sentence && c.sentence.date <= on && monthsLater(plusDays(c.sentence.date, Math.max(0, c.sentence.termDays - c.sentence.suspendedDays)), c.sentence.probationMonths) > on);
    const sexual = convictions.some((x) => x.ch.offense.sexOffense);
    const registrant = !without.includes('SOR') && story.registration !== null && !sexual;
    for (const { c, ch, date } of convictions) {
      const cls = ch.offense.offenseClass;
      const years = ['MA', 'MB', 'MC', 'MD', 'MU'].includes(cls) ? 7 : ['FD', 'FE'].includes(cls) ? 10 : 0;
      const due = years ? plusYears(latest, years) : '';
      const outcome = ['FA', 'FB'].includes(cls) ? 'class-a-b-felony' : ch.offense.familyViolence ? 'family-violence' : ch.offense.sexOffense ? 'sexual-offense'
        : cls === 'FC' ? 'class-c-felony' : !years ? 'unclassified-felony' : c.arrest.date < '2000-01-01' ? 'offense-before-2000'
          : registrant ? 'sex-offender-registrant' : serving ? 'sentence-not-completed' : due > on ? 'waiting-period'
            : years === 7 ? 'erasable-misdemeanor' : 'erasable-felony';
      bump(outcomes, outcome);
      if (outcome.startsWith('erasable-')) erasable.push(`${story.person.sid}|${c.docketNumber.replace(/-/g, '')}|${ch.count}|${due}|${date}`);
    }
  }
  return { erasable: erasable.sort(), outcomes };
}
