// Reference data the generator draws from: Connecticut courts, police agencies, DOC
// facilities, statutes with NCIC offense codes, and a pool of (invented) names.
import type { Offense } from './story.ts';

/** Geographical-area and judicial-district courts: location code and name. */
export const COURTS: ReadonlyArray<{ code: string; name: string }> = [
  { code: 'H12M', name: 'G.A. 12 Manchester' },
  { code: 'H14H', name: 'G.A. 14 Hartford' },
  { code: 'H15N', name: 'G.A. 15 New Britain' },
  { code: 'N23N', name: 'G.A. 23 New Haven' },
  { code: 'N07M', name: 'G.A. 7 Meriden' },
  { code: 'F02B', name: 'G.A. 2 Bridgeport' },
  { code: 'S01S', name: 'G.A. 1 Stamford' },
  { code: 'S20N', name: 'G.A. 20 Norwalk' },
  { code: 'K21N', name: 'G.A. 21 Norwich' },
  { code: 'K10K', name: 'G.A. 10 New London' },
  { code: 'U04W', name: 'G.A. 4 Waterbury' },
  { code: 'D03D', name: 'G.A. 3 Danbury' },
  { code: 'T19R', name: 'G.A. 19 Rockville' },
  { code: 'W11D', name: 'G.A. 11 Danielson' },
  { code: 'L18B', name: 'G.A. 18 Bantam' },
];

/** Arresting agencies: ORI (NCIC originating agency identifier) and name. */
export const AGENCIES: ReadonlyArray<{ ori: string; name: string }> = [
  { ori: 'CT0006400', name: 'Hartford Police Department' },
  { ori: 'CT0009300', name: 'New Haven Police Department' },
  { ori: 'CT0001500', name: 'Bridgeport Police Department' },
  { ori: 'CT0015100', name: 'Waterbury Police Department' },
  { ori: 'CT0013500', name: 'Stamford Police Department' },
  { ori: 'CT0010300', name: 'Norwalk Police Department' },
  { ori: 'CT0008900', name: 'New Britain Police Department' },
  { ori: 'CT0007700', name: 'Manchester Police Department' },
  { ori: 'CT0003400', name: 'Danbury Police Department' },
  { ori: 'CT0009500', name: 'New London Police Department' },
  { ori: 'CTCSP0100', name: 'State Police Troop A' },
  { ori: 'CTCSP0800', name: 'State Police Troop H' },
  { ori: 'CTCSP1100', name: 'State Police Troop K' },
];

/** DOC facilities: code, name, and whether it is a jail (pretrial intake) or for women. */
export const FACILITIES: ReadonlyArray<{ code: string; name: string; intake: boolean; women: boolean }> = [
  { code: 'HCC', name: 'Hartford Correctional Center', intake: true, women: false },
  { code: 'NHCC', name: 'New Haven Correctional Center', intake: true, women: false },
  { code: 'BCC', name: 'Bridgeport Correctional Center', intake: true, women: false },
  { code: 'CRCC', name: 'Corrigan-Radgowski Correctional Center', intake: true, women: false },
  { code: 'OCI', name: 'Osborn Correctional Institution', intake: false, women: false },
  { code: 'MWCI', name: 'MacDougall-Walker Correctional Institution', intake: false, women: false },
  { code: 'CCI', name: 'Cheshire Correctional Institution', intake: false, women: false },
  { code: 'RCI', name: 'Robinson Correctional Institution', intake: false, women: false },
  { code: 'WCI', name: 'Willard-Cybulski Correctional Institution', intake: false, women: false },
  { code: 'YCI', name: 'York Correctional Institution', intake: true, women: true },
];

const o = (statute: string, description: string, ncicCode: string, offenseClass: Offense['offenseClass'], flags: Partial<Offense> = {}): Offense => ({
  statute, description, ncicCode, offenseClass, familyViolence: false, sexOffense: false, ...flags,
});

/** Offenses with their C.G.S. section, NCIC offense code and class; weights give frequency. */
export const OFFENSES: ReadonlyArray<readonly [Offense, number]> = [
  [o('53a-125b', 'Larceny 6th degree', '2399', 'MC'), 10],
  [o('53a-124', 'Larceny 3rd degree', '2399', 'FD'), 5],
  [o('53a-123', 'Larceny 2nd degree', '2399', 'FC'), 3],
  [o('53a-122', 'Larceny 1st degree', '2399', 'FB'), 1],
  [o('53a-61', 'Assault 3rd degree', '1313', 'MA'), 7],
  [o('53a-61', 'Assault 3rd degree (family violence)', '1313', 'MA', { familyViolence: true }), 6],
  [o('53a-60', 'Assault 2nd degree', '1399', 'FD'), 3],
  [o('53a-59', 'Assault 1st degree', '1399', 'FB'), 1],
  [o('53a-181', 'Breach of peace 2nd degree', '5311', 'MB'), 8],
  [o('53a-181', 'Breach of peace 2nd degree (family violence)', '5311', 'MB', { familyViolence: true }), 6],
  [o('53a-182', 'Disorderly conduct', '5311', 'MC'), 6],
  [o('53a-223', 'Criminal violation of a protective order', '5015', 'FD', { familyViolence: true }), 2],
  [o('53a-103', 'Burglary 3rd degree', '2299', 'FD'), 3],
  [o('53a-102', 'Burglary 2nd degree', '2299', 'FC'), 1],
  [o('53a-101', 'Burglary 1st degree', '2299', 'FB'), 1],
  [o('53a-136', 'Robbery 3rd degree', '1299', 'FD'), 2],
  [o('53a-135', 'Robbery 2nd degree', '1299', 'FC'), 1],
  [o('53a-134', 'Robbery 1st degree', '1299', 'FB'), 1],
  [o('21a-279', 'Possession of narcotics', '3562', 'MA'), 6],
  [o('21a-277', 'Sale of narcotics', '3530', 'FU'), 3],
  [o('14-227a', 'Operating under the influence', '5404', 'MU'), 6],
  [o('29-35', 'Carrying a pistol without a permit', '5212', 'FD'), 2],
  [o('53a-167a', 'Interfering with an officer', '4801', 'MA'), 4],
  [o('53a-172', 'Failure to appear 1st degree', '4901', 'FD'), 1],
  [o('53a-116', 'Criminal mischief 2nd degree', '2999', 'MB'), 3],
  [o('53a-73a', 'Sexual assault 4th degree', '1199', 'MA', { sexOffense: true }), 1],
  [o('53a-71', 'Sexual assault 2nd degree', '1199', 'FC', { sexOffense: true }), 0.5],
  [o('53a-70', 'Sexual assault 1st degree', '1113', 'FB', { sexOffense: true }), 0.3],
  [o('53a-55', 'Manslaughter 1st degree', '0999', 'FB'), 0.15],
  [o('53a-54a', 'Murder', '0911', 'FA'), 0.1],
];

/** Infractions handled by the Central Infractions Bureau: statute, description, fine. */
export const INFRACTIONS: ReadonlyArray<{ statute: string; description: string; amount: number }> = [
  { statute: '14-219', description: 'Speeding', amount: 148 },
  { statute: '14-296aa', description: 'Using a hand-held phone while driving', amount: 200 },
  { statute: '14-213b', description: 'Operating without insurance', amount: 263 },
  { statute: '14-299', description: 'Failure to obey traffic control signal', amount: 183 },
  { statute: '14-12', description: 'Operating an unregistered motor vehicle', amount: 138 },
  { statute: '14-218a', description: 'Traveling too fast for conditions', amount: 138 },
  { statute: '53a-181d', description: 'Creating a public disturbance', amount: 103 },
];

// Last names: seed/surnames.ts (a long-tailed, census-like distribution).
export const MALE_FIRST = [
  'JAMES', 'JOHN', 'ROBERT', 'MICHAEL', 'WILLIAM', 'DAVID', 'JOSE', 'LUIS', 'CARLOS', 'ANTHONY',
  'KEVIN', 'JASON', 'BRIAN', 'CHRISTOPHER', 'DANIEL', 'MATTHEW', 'JOSEPH', 'JUAN', 'TYRONE', 'MARCUS',
  'STEVEN', 'ERIC', 'ANGEL', 'RICHARD', 'THOMAS', 'MARK', 'PAUL', 'ANDREW', 'JOSHUA', 'KEITH',
];
export const FEMALE_FIRST = [
  'MARY', 'PATRICIA', 'JENNIFER', 'LINDA', 'ELIZABETH', 'MARIA', 'SUSAN', 'JESSICA', 'SARAH', 'KAREN',
  'NANCY', 'LISA', 'ASHLEY', 'KIMBERLY', 'MICHELLE', 'CARMEN', 'ROSA', 'TANYA', 'NICOLE', 'ANGELA',
  'MELISSA', 'AMANDA', 'STEPHANIE', 'REBECCA', 'LAURA', 'CRYSTAL', 'DENISE', 'TIFFANY', 'YOLANDA', 'KATHERINE',
];

/** Towns with ZIP codes for addresses. */
export const TOWNS: ReadonlyArray<readonly [string, string]> = [
  ['HARTFORD', '06106'], ['NEW HAVEN', '06511'], ['BRIDGEPORT', '06604'], ['WATERBURY', '06708'], ['STAMFORD', '06902'],
  ['NORWALK', '06851'], ['NEW BRITAIN', '06051'], ['MANCHESTER', '06040'], ['DANBURY', '06810'], ['NEW LONDON', '06320'],
  ['NORWICH', '06360'], ['MERIDEN', '06450'], ['BRISTOL', '06010'], ['WEST HAVEN', '06516'], ['EAST HARTFORD', '06108'],
];
export const STREETS = ['MAIN ST', 'ELM ST', 'PARK AVE', 'FARMINGTON AVE', 'CHAPEL ST', 'STATE ST', 'WASHINGTON ST', 'BROAD ST', 'MAPLE AVE', 'CHURCH ST', 'WHITNEY AVE', 'FAIRFIELD AVE'];

export const PROBATION_OFFICES = ['Hartford Adult Probation', 'New Haven Adult Probation', 'Bridgeport Adult Probation', 'Waterbury Adult Probation', 'Norwich Adult Probation', 'Stamford Adult Probation'];
export const PAROLE_DISTRICTS = ['District 1 New Haven', 'District 2 Hartford', 'District 3 Bridgeport', 'District 4 Waterbury', 'District 5 Norwich'];
export const SMT = ['SC L ARM (scar, left arm)', 'TAT R ARM (tattoo, right arm)', 'TAT NECK (tattoo, neck)', 'MOLE FACE (mole, face)', 'TAT CHEST (tattoo, chest)', 'SC FACE (scar, face)'];
export const RELATIONSHIPS = ['SPOUSE', 'FORMER SPOUSE', 'INTIMATE PARTNER', 'PARENT', 'CHILD', 'SIBLING', 'HOUSEHOLD MEMBER'];
