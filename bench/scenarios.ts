// The requests the benchmark sends, each built from a synthetic story so the load spreads
// over many offenders. Shared with the tests that count SQL statements per request.
import type { OffenderStory } from '../seed/story.ts';

export interface Scenario {
  name: string;
  request(story: OffenderStory): { query: string; variables: Record<string, unknown> };
}

/** Every agency's fields for one offender: the analyst's "full profile". */
export const PROFILE_QUERY = `query Profile($sid: ID!) {
  offender(sid: $sid) {
    sid name { last first middle suffix } aliases { last first } dateOfBirth sex race fbiNumber
    arrests { trackingNumber date arrestingAgencyOri charges { statute description ncicOffenseCode offenseClass } }
    sexOffenderRegistration { status registeredDate lastVerifiedDate }
    courtCases(first: 20) { totalCount edges { node { docketNumber status arraignmentDate charges { count statute dispositionCode } sentence { type termDays } correctionalSentence { estimatedReleaseDate } } } }
    warrants { warrantNumber type status issuedDate }
    protectiveOrders { orderNumber type status issuedDate expirationDate }
    infractions { ticketNumber date statute status }
    probation { caseNumber status startDate }
    custody { inmateNumber status admissionDate releaseDate facility { code } }
    sentences { docketNumber estimatedReleaseDate maximumReleaseDate }
    parole { caseNumber status district }
  }
}`;

/** A name search returning 25 offenders, each with cases, warrants and custody. */
export const SEARCH_QUERY = `query Search($lastName: String!) {
  searchOffenders(lastName: $lastName, first: 25) {
    edges { node {
      sid name { last first } dateOfBirth
      courtCases(first: 5) { edges { node { docketNumber status } } }
      warrants { warrantNumber status }
      custody { inmateNumber status }
    } }
  }
}`;

/** The same search with each offender's tracking status and last 20 timeline events (issue 4). */
export const TRACKING_QUERY = `query Tracking($lastName: String!) {
  searchOffenders(lastName: $lastName, first: 25) {
    edges { node {
      sid name { last first }
      trackingStatus {
        stage custodyBasis since summary basis { system key lastUpdated }
        overlays { kind since summary record { system key } }
        cases { docketNumber stage since } activeCaseCount contradictions { kind summary } unavailableSources lastSourceChange
      }
      timeline(first: 20, order: NEWEST_FIRST) { totalCount edges { node { date kind summary docketNumber source { system key lastUpdated } } } }
    } }
  }
}`;

/** The most common surname (seed/surnames.ts): 1 % of people, ~10 000 at 1 000 000 offenders. */
export const COMMON_NAME = 'SMITH';

/** Surnames that fill a 25-person page already at 10 000 offenders (seed/surnames.ts), one drawn per request. */
export const FULL_PAGE_NAMES = ['SMITH', 'JOHNSON', 'WILLIAMS', 'BROWN', 'JONES', 'GARCIA', 'MILLER', 'DAVIS', 'RODRIGUEZ', 'MARTINEZ', 'HERNANDEZ', 'LOPEZ', 'GONZALEZ', 'WILSON', 'ANDERSON', 'THOMAS', 'TAYLOR', 'MOORE', 'JACKSON', 'MARTIN'];
const fullPageName = (story: OffenderStory) => FULL_PAGE_NAMES[Number(story.person.sid.replace(/\D/g, '')) % FULL_PAGE_NAMES.length];

// Name searches run three ways: with the sampled person's own last name (drawn by frequency,
// so a typical name: a median of 5 people share it at 10 000 offenders, and it fills the
// page at 1 000 000), with one of the twenty most common names (a full page at every size:
// the like-for-like request for comparing population sizes), and with the most common one.
export const SCENARIOS: Scenario[] = [
  { name: 'full profile (3 agencies, 10 systems)', request: (story) => ({ query: PROFILE_QUERY, variables: { sid: story.person.sid } }) },
  { name: 'search 25 + cases, warrants, custody (typical name)', request: (story) => ({ query: SEARCH_QUERY, variables: { lastName: story.person.name.last } }) },
  { name: 'search 25 + cases, warrants, custody (SMITH)', request: () => ({ query: SEARCH_QUERY, variables: { lastName: COMMON_NAME } }) },
  { name: 'search 25 + cases, warrants, custody (common name drawn per request)', request: (story) => ({ query: SEARCH_QUERY, variables: { lastName: fullPageName(story) } }) },
  { name: 'search 25 + tracking status, last 20 events (typical name)', request: (story) => ({ query: TRACKING_QUERY, variables: { lastName: story.person.name.last } }) },
  { name: 'search 25 + tracking status, last 20 events (common name drawn per request)', request: (story) => ({ query: TRACKING_QUERY, variables: { lastName: fullPageName(story) } }) },
  { name: 'search 25 + tracking status, last 20 events (SMITH)', request: () => ({ query: TRACKING_QUERY, variables: { lastName: COMMON_NAME } }) },
];
