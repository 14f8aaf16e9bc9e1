// Test stories and the values the DOC subgraph should serve for them, computed straight
// from the stories (not from the store code under test).
import { FACILITIES } from '../../../seed/catalog.ts';
import { generateStories } from '../../../seed/generate.ts';
import type { CustodyStory, OffenderStory } from '../../../seed/story.ts';

/**
 * 50 generated stories picked so every DOC path is exercised: 45 people DOC held (with
 * paroles and repeat admissions among them) and 5 it never did. Two people's cases are
 * marked erased (C.G.S. 54-142a), one of them a parolee, so the tests can check that
 * nothing of them comes back.
 */
export function testStories(count = 50): OffenderStory[] {
  const pool = structuredClone(generateStories({ offenders: 400, seed: 3 }));
  const chosen = new Map<string, OffenderStory>();
  const take = (story: OffenderStory) => chosen.size < count && chosen.set(story.person.sid, story);
  pool.filter((s) => s.paroles.length).slice(0, 4).forEach(take);
  pool.filter((s) => s.custodies.length > 1).slice(0, 3).forEach(take);
  pool.filter((s) => !s.custodies.length).slice(0, 5).forEach(take);
  for (const story of pool) if (story.custodies.length && chosen.size < count) take(story);
  const stories = [...chosen.values()];
  // Erase released incarcerations' cases (the generator never erases a case DOC holds).
  const released = (s: OffenderStory) => s.custodies.length === 1 && s.custodies[0].releaseDate !== null;
  for (const victim of [stories.find((s) => released(s) && !s.paroles.length)!, stories.find((s) => released(s) && s.paroles.length)!]) {
    victim.cases.find((c) => c.docketNumber === victim.custodies[0].docketNumber)!.erased = true;
  }
  return stories;
}

/** The stories whose incarcerations testStories erased (the second one was paroled). */
export const erasedStories = (stories: OffenderStory[]) =>
  stories.filter((s) => s.custodies.some((c) => isErased(s, c.docketNumber)));

export const isErased = (story: OffenderStory, docketNumber: string) =>
  story.cases.some((c) => c.erased && c.docketNumber === docketNumber);

const facilityNames = new Map<string, string>([...FACILITIES.map((f) => [f.code, f.name] as const), ['COMMUNITY', 'Community (outside DOC custody)']]);
const facility = (code: string) => ({ code, name: facilityNames.get(code) ?? code });
const enumOf = (value: string) => value.replace(/ /g, '_');
const iso = (stamp: string) => new Date(stamp).toISOString();

/** Admission sequence of a custody: its place among the same inmate number's admissions. */
function admissionSequence(story: OffenderStory, custody: CustodyStory): number {
  return story.custodies
    .filter((c) => c.inmateNumber === custody.inmateNumber)
    .sort((a, b) => a.admissionDate.localeCompare(b.admissionDate))
    .indexOf(custody) + 1;
}

export function expectedMovements(custody: CustodyStory) {
  return custody.movements.map((m) => ({
    date: m.date,
    fromFacility: m.fromFacility === null ? null : facility(m.fromFacility),
    toFacility: facility(m.toFacility),
    reason: m.reason,
  }));
}

/** Incarcerations not erased, newest admission first, in the subgraph's shape. */
export function expectedCustody(story: OffenderStory) {
  return story.custodies
    .filter((c) => !isErased(story, c.docketNumber))
    .map((c) => ({
      inmateNumber: c.inmateNumber,
      admissionSequence: admissionSequence(story, c),
      docketNumber: c.docketNumber,
      status: c.status,
      facility: facility(c.facility),
      admissionDate: c.admissionDate,
      releaseDate: c.releaseDate,
      releaseType: c.releaseType === null ? null : enumOf(c.releaseType),
      custodyLevel: c.custodyLevel,
      recordLastUpdated: iso(c.lastUpdated),
      movements: expectedMovements(c),
      sid: story.person.sid,
    }))
    .sort((a, b) => b.admissionDate.localeCompare(a.admissionDate) || b.admissionSequence - a.admissionSequence);
}

/** Time calculations not erased, newest sentence first. */
export function expectedSentences(story: OffenderStory) {
  return story.timeCalculations
    .filter((t) => !isErased(story, t.docketNumber))
    .map((t) => ({
      docketNumber: t.docketNumber,
      inmateNumber: t.inmateNumber,
      sentenceDate: t.sentenceDate,
      termDays: t.termDays,
      jailCreditDays: t.jailCreditDays,
      earnedCreditDays: t.earnedCreditDays,
      estimatedReleaseDate: t.estimatedReleaseDate,
      maximumReleaseDate: t.maximumReleaseDate,
      paroleEligibilityDate: t.paroleEligibilityDate,
      recordLastUpdated: iso(t.lastUpdated),
    }))
    .sort((a, b) => b.sentenceDate.localeCompare(a.sentenceDate) || b.docketNumber.localeCompare(a.docketNumber));
}

/** A parole case carries no docket: it is erased when every docket of its inmate number is. */
function paroleErased(story: OffenderStory, inmateNumber: string): boolean {
  const dockets = [...story.custodies, ...story.timeCalculations].filter((r) => r.inmateNumber === inmateNumber).map((r) => r.docketNumber);
  return dockets.length > 0 && dockets.every((d) => isErased(story, d));
}

/** Parole cases not erased, newest start first, with case notes newest first. */
export function expectedParole(story: OffenderStory) {
  return story.paroles
    .filter((p) => !paroleErased(story, p.inmateNumber))
    .map((p) => ({
      caseNumber: p.caseNumber,
      inmateNumber: p.inmateNumber,
      status: p.status,
      district: p.district,
      officer: p.officer,
      startDate: p.startDate,
      scheduledEndDate: p.scheduledEndDate,
      endDate: p.endDate,
      conditions: p.conditions,
      recordLastUpdated: iso(p.lastUpdated),
      caseNotes: p.caseNotes
        .map((n, i) => ({ seq: i, date: n.date, author: n.author, contactType: enumOf(n.contactType), text: n.text, sensitive: n.sensitive }))
        .sort((a, b) => b.date.localeCompare(a.date) || b.seq - a.seq)
        .map(({ seq: _seq, ...note }) => note),
    }))
    .sort((a, b) => b.startDate.localeCompare(a.startDate) || b.caseNumber.localeCompare(a.caseNumber));
}

/** Releases dated from..to (inclusive), in release date, inmate number, admission order. */
export function expectedReleases(stories: OffenderStory[], from: string, to: string) {
  return stories
    .flatMap(expectedCustody)
    .filter((c) => c.releaseDate !== null && c.releaseDate >= from && c.releaseDate <= to)
    .sort((a, b) => a.releaseDate!.localeCompare(b.releaseDate!) || a.inmateNumber.localeCompare(b.inmateNumber) || a.admissionSequence - b.admissionSequence);
}

/** A year-long window holding the most releases, so paging has several pages. */
export function busiestReleaseYear(stories: OffenderStory[]): { from: string; to: string } {
  const years = new Map<string, number>();
  for (const c of stories.flatMap(expectedCustody)) if (c.releaseDate) years.set(c.releaseDate.slice(0, 4), (years.get(c.releaseDate.slice(0, 4)) ?? 0) + 1);
  const [year] = [...years].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
  return { from: `${year}-01-01`, to: `${year}-12-31` };
}
