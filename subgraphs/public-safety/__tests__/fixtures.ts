// Test stories and the values the DPS subgraph should serve for them, computed straight
// from the stories (not from the store code under test).
import { generateStories } from '../../../seed/generate.ts';
import type { OffenderStory, PersonName } from '../../../seed/story.ts';

/**
 * ~50 generated stories picked so every path is exercised: registrants (rare in the
 * population), sound-alike surnames (SMITH/SMYTH, JOHNSON/JONSON) and erased arrests;
 * the last few are renamed into the VANTERPOOL family of ALIAS_CASES.
 */
export function testStories(count = 50): OffenderStory[] {
  const pool = generateStories({ offenders: 3000, seed: 11 });
  const chosen = new Map<string, OffenderStory>();
  const generated = count - ALIAS_CASES.length;
  const take = (story: OffenderStory) => chosen.size < generated && chosen.set(story.person.sid, story);
  pool.filter((s) => s.registration).slice(0, 4).forEach(take);
  for (const last of ['SMITH', 'SMYTH', 'JOHNSON', 'JONSON']) pool.filter((s) => s.person.name.last === last).slice(0, 2).forEach(take);
  for (const story of pool) if (chosen.size < generated) take(story);
  const spare = pool.filter((s) => !chosen.has(s.person.sid));
  const renamed = ALIAS_CASES.map(([name, ...aliases], i) => ({ ...spare[i], person: { ...spare[i].person, name, aliases } }));
  return [...chosen.values(), ...renamed];
}

const person = (last: string, first: string): PersonName => ({ last, first, middle: null, suffix: null });

/**
 * People whose aliases make the alias search cases (MNI name first, then aliases in
 * ALIAS_SEQ order). VANTERPOOL, VANTERPOOLE and VANDERPOEL all code V536.
 */
export const ALIAS_CASES: PersonName[][] = [
  // Only an alias is VANTERPOOL.
  [person('OKONKWO', 'CHIDI'), person('VANTERPOOL', 'CHIDI')],
  // MNI name and an alias both VANTERPOOL: one edge, PRIMARY.
  [person('VANTERPOOL', 'DESMOND'), person('VANTERPOOL', 'DES')],
  // Two aliases: VANT* matches the first, VANTERPOOL only the second; MBEKI + SIPHO mixes two names (no match).
  [person('MBEKI', 'THABO'), person('VANTERPOOLE', 'SIPHO'), person('VANTERPOOL', 'THABO')],
  // Sounds like VANTERPOOL only through an alias.
  [person('ZELLWEGER', 'RUTH'), person('VANDERPOEL', 'RUTH')],
];

const upper = (name: PersonName) => ({
  last: name.last.toUpperCase(),
  first: name.first.toUpperCase(),
  middle: name.middle ? name.middle.toUpperCase() : null,
  suffix: name.suffix ? name.suffix.toUpperCase() : null,
});

export function expectedOffender(story: OffenderStory) {
  const { person } = story;
  return {
    sid: person.sid,
    fbiNumber: person.fbiNumber,
    name: upper(person.name),
    dateOfBirth: person.dateOfBirth,
    sex: person.sex,
    race: person.race,
    heightInches: person.heightInches,
    weightPounds: person.weightPounds,
    eyeColor: person.eyeColor,
    hairColor: person.hairColor,
    recordLastUpdated: new Date(story.lastUpdated).toISOString(),
  };
}

export const expectedAliases = (story: OffenderStory) => story.person.aliases.map(upper);

/** Arrests not erased (C.G.S. 54-142a), newest first, with their charges in count order. */
export function expectedArrests(story: OffenderStory) {
  return story.cases
    .filter((c) => !c.erased)
    .map((c) => c.arrest)
    .sort((a, b) => (a.date === b.date ? (a.trackingNumber < b.trackingNumber ? 1 : -1) : a.date < b.date ? 1 : -1))
    .map((arrest) => {
      const kase = story.cases.find((c) => c.arrest.trackingNumber === arrest.trackingNumber)!;
      return {
        trackingNumber: arrest.trackingNumber,
        date: arrest.date,
        arrestingAgencyOri: arrest.arrestingOri,
        arrestingAgencyName: arrest.arrestingAgency.toUpperCase(),
        charges: kase.charges.map((charge) => ({
          sequence: charge.count,
          statute: charge.offense.statute,
          description: charge.offense.description.toUpperCase(),
          ncicOffenseCode: charge.offense.ncicCode,
          offenseClass: charge.offense.offenseClass,
          courtDisposition: charge.disposition ? { code: charge.disposition.replace(' ', '_'), date: charge.dispositionDate } : null,
        })),
      };
    });
}

export function expectedRegistration(story: OffenderStory) {
  const r = story.registration;
  if (!r) return null;
  return {
    registrationNumber: r.registrationNumber,
    status: r.status.replace('-', '_'),
    registeredDate: r.registeredDate,
    expirationDate: r.expirationDate,
    compliant: r.compliant,
    lastVerifiedDate: r.lastVerifiedDate,
    homeAddress: { street: r.homeAddress.street.toUpperCase(), city: r.homeAddress.city.toUpperCase(), state: r.homeAddress.state, zip: r.homeAddress.zip },
    recordLastUpdated: new Date(r.lastUpdated).toISOString(),
  };
}

/** Stories in search order: last name, first name, SID (code-point order, as C / binary collations sort). */
export function inSearchOrder(stories: OffenderStory[]): OffenderStory[] {
  const key = (s: OffenderStory) => [s.person.name.last.toUpperCase(), s.person.name.first.toUpperCase(), s.person.sid];
  return [...stories].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    for (let i = 0; i < 3; i += 1) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
    return 0;
  });
}

/** Erased arrests' tracking numbers: must never come back. */
export const erasedTrackingNumbers = (stories: OffenderStory[]) =>
  stories.flatMap((s) => s.cases.filter((c) => c.erased).map((c) => c.arrest.trackingNumber));

/** A person's names as the search sees them: the MNI name first, then aliases in recorded order. */
export function namesOf(story: OffenderStory) {
  return [
    { matchedOn: 'PRIMARY' as const, name: upper(story.person.name) },
    ...story.person.aliases.map((alias) => ({ matchedOn: 'ALIAS' as const, name: upper(alias) })),
  ];
}

export interface ExpectedHit {
  sid: string;
  matchedOn: 'PRIMARY' | 'ALIAS';
  matchedName: ReturnType<typeof upper>;
}

/**
 * What a search should find, in search order: people with a name that `nameMatches` (the
 * MNI name preferred, then the first alias) and who `personMatches`; one hit per person.
 */
export function expectedHits(
  stories: OffenderStory[],
  nameMatches: (name: { last: string; first: string }) => boolean,
  personMatches: (story: OffenderStory) => boolean = () => true,
): ExpectedHit[] {
  return inSearchOrder(stories.filter(personMatches)).flatMap((story) => {
    const hit = namesOf(story).find((n) => nameMatches(n.name));
    return hit ? [{ sid: story.person.sid, matchedOn: hit.matchedOn, matchedName: hit.name }] : [];
  });
}
