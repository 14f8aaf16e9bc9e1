// Example operations trainers open in GraphiQL (one tab each). They use the synthetic
// data: the SIDs exist in a store seeded with the default seed.

export interface ExampleOperation {
  title: string;
  query: string;
  variables?: Record<string, unknown>;
}

export const EXAMPLES: ExampleOperation[] = [
  {
    title: 'Offender profile (all three agencies)',
    query: `# One offender across the Department of Public Safety, the Judicial Branch and the
# Department of Correction. Try another SID from the search tab.
query OffenderProfile($sid: ID!) {
  offender(sid: $sid) {
    sid
    name { last first middle }
    dateOfBirth
    sex
    race
    arrests { trackingNumber date arrestingAgencyName charges { statute description offenseClass } }
    courtCases(first: 10) { edges { node { docketNumber status arraignmentDate sentence { type termDays } } } }
    warrants { warrantNumber type status issuedDate }
    protectiveOrders { orderNumber type status expirationDate }
    probation { caseNumber status officer }
    custody { inmateNumber status facility { name } admissionDate releaseDate }
    sentences { docketNumber estimatedReleaseDate paroleEligibilityDate }
    parole { caseNumber status district }
    sexOffenderRegistration { status lastVerifiedDate }
  }
}`,
    variables: { sid: '000100007' },
  },
  {
    title: 'Where is this person now? (tracking status and timeline)',
    query: `# The stage across all agencies, what it rests on, overlays for an officer at the
# door, and the last ten events from every source system, newest first.
query WhereNow($sid: ID!) {
  offender(sid: $sid) {
    sid name { last first }
    trackingStatus {
      stage custodyBasis since summary
      basis { system key }
      overlays { kind summary }
      cases { docketNumber stage since }
      contradictions { kind summary }
    }
    timeline(first: 10, order: NEWEST_FIRST) {
      totalCount
      edges { node { date kind summary source { system key } } }
    }
  }
}`,
    variables: { sid: '000100007' },
  },
  {
    title: 'Name search (phonetic)',
    query: `# Phonetic search finds SMITH, SMYTH and SCHMIDT alike.
query NameSearch {
  searchOffenders(lastName: "SMYTHE", phonetic: true, first: 10) {
    totalCount
    edges { node { sid name { last first } dateOfBirth } }
    pageInfo { hasNextPage endCursor }
  }
}`,
  },
  {
    title: 'Court case by docket number',
    query: `query CaseByDocket {
  courtCase(docketNumber: "H15N-CR18-0000048-S") {
    docketNumber court { name } status
    charges { count statute description plea dispositionCode }
    offender { sid name { last first } }
    correctionalSentence { estimatedReleaseDate }
  }
}`,
  },
  {
    title: 'Active warrants',
    query: `query ActiveWarrants {
  warrants(status: ACTIVE, first: 20) {
    edges { node { warrantNumber type issuedDate court docketNumber offender { sid name { last first } } } }
    pageInfo { hasNextPage endCursor }
  }
}`,
  },
];
