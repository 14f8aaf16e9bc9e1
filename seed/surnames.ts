// Last names as a population has them: a few very common names and a long tail of rare
// ones. The head is 82 real surnames with frequencies shaped like the U.S. Census 2010
// surname table (SMITH about 1 person in 100, so ~10 000 at 1 000 000 offenders; JOHNSON
// 0.8 %, WILLIAMS 0.66 %, …); the tail is ~2 900 invented but plausible surnames built from
// roots and endings, whose frequencies fall off as a power law (rank^-0.5) from where the
// head ends, so the tail holds ~80 % of people as the census's long tail does. Everything
// is computed here, deterministically (no data file, nothing downloaded): the same list,
// weights and draws for every seed.
import type { Random } from './random.ts';

/** Head: real surnames with their weight per 100 000 people (census-like, SMITH = 1 000). */
const HEAD: ReadonlyArray<readonly [string, number]> = [
  ['SMITH', 1000], ['JOHNSON', 790], ['WILLIAMS', 664], ['BROWN', 589], ['JONES', 576], ['GARCIA', 446], ['MILLER', 437],
  ['DAVIS', 424], ['RODRIGUEZ', 419], ['MARTINEZ', 409], ['HERNANDEZ', 402], ['LOPEZ', 338], ['GONZALEZ', 333],
  ['WILSON', 322], ['ANDERSON', 316], ['THOMAS', 311], ['TAYLOR', 304], ['MOORE', 290], ['JACKSON', 285], ['MARTIN', 283],
  ['LEE', 281], ['PEREZ', 264], ['THOMPSON', 263], ['WHITE', 258], ['HARRIS', 248], ['SANCHEZ', 245], ['CLARK', 227],
  ['RAMIREZ', 225], ['LEWIS', 214], ['ROBINSON', 212], ['WALKER', 210], ['YOUNG', 196], ['ALLEN', 196], ['KING', 188],
  ['WRIGHT', 187], ['SCOTT', 179], ['TORRES', 177], ['NGUYEN', 175], ['HILL', 175], ['FLORES', 175], ['GREEN', 174],
  ['ADAMS', 169], ['NELSON', 164], ['BAKER', 161], ['HALL', 159], ['RIVERA', 155], ['CAMPBELL', 146], ['MITCHELL', 145],
  ['CARTER', 143], ['ROBERTS', 142], ['MURPHY', 128], ['COLLINS', 126], ['CRUZ', 120], ['REYES', 119], ['MORALES', 117],
  ['ORTIZ', 116], ['SULLIVAN', 110], ['KELLY', 108], ['PETERSON', 106], ['MEYER', 100], ['SANTIAGO', 99], ['COLON', 98],
  ['VAZQUEZ', 96], ['OBRIEN', 94], ['SCHMIDT', 92], ['CARLSON', 90], ['MCCARTHY', 88], ['OCONNOR', 86], ['JOHNSTON', 84],
  ['FITZGERALD', 82], ['RUSSO', 80], ['ESPOSITO', 78], ['KOWALSKI', 76], ['NOWAK', 74], ['PELLETIER', 72],
  ['DESROSIERS', 70], ['PETERSEN', 68], ['SCHMITT', 66], ['MEIER', 64], ['SMYTH', 110], ['JONSON', 110],
];

const ROOTS = [
  'ABB', 'ALD', 'ARM', 'ASH', 'BAR', 'BELL', 'BERN', 'BLACK', 'BRAD', 'BURK', 'CALD', 'CAMER', 'CARR', 'CHAP', 'COLL',
  'CORN', 'CRAW', 'DAL', 'DEL', 'DUNN', 'ELL', 'FAIR', 'FARR', 'FERR', 'FISH', 'FOST', 'GALL', 'GARR', 'GOLD', 'GRAH',
  'HAMM', 'HART', 'HAWK', 'HOLL', 'HUNT', 'KEND', 'KIRK', 'LAMB', 'LANG', 'MACK', 'MARSH', 'MORR', 'NORR', 'PARK',
  'PEND', 'RAND', 'REED', 'ROSS', 'RUSS', 'SALV', 'SHAW', 'STAN', 'STOCK', 'SUTT', 'TALB', 'VALL', 'WARD', 'WEST', 'WHIT', 'WOOD',
];
const ENDINGS = [
  'ER', 'SON', 'MAN', 'INGTON', 'LEY', 'TON', 'FORD', 'BERG', 'STEIN', 'INI', 'ELLI', 'ETTI', 'ANO', 'OWSKI', 'ESKI',
  'ENKO', 'OV', 'EZ', 'AUD', 'AULT', 'ETTE', 'ICK', 'OCK', 'WELL', 'WORTH', 'HAM', 'DALE', 'FIELD', 'MORE', 'BY',
  'IN', 'ON', 'ES', 'IS', 'EY', 'ARD', 'ING', 'OW', 'ERS', 'ELL', 'ESON', 'ERTON', 'LAND', 'RIDGE', 'WICK', 'STROM', 'QUIST',
  'ACCI', 'OLA', 'ERO',
];

/** Exponent of the tail's power law (weight ∝ rank^-TAIL_EXPONENT). */
const TAIL_EXPONENT = 0.5;

function tailNames(): string[] {
  const head = new Set(HEAD.map(([name]) => name));
  const names = new Set<string>();
  for (const root of ROOTS) for (const ending of ENDINGS) {
    const name = root + ending;
    if (!head.has(name)) names.add(name);
  }
  // A fixed shuffle (integer hash of the name), so a tail rank says nothing of the spelling.
  const hash = (name: string) => [...name].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0, 0x811c9dc5);
  return [...names].sort((a, b) => hash(a) - hash(b) || (a < b ? -1 : 1));
}

/** Every surname with its weight (per 100 000 people, summing to ~100 000), most common first. */
export const SURNAMES: ReadonlyArray<readonly [string, number]> = (() => {
  const list: Array<readonly [string, number]> = [...HEAD];
  // The tail carries what the head leaves of 100 000, so SMITH's 1 000 is 1 % of people;
  // its first names then weigh about as much as the head's last ones (~100).
  const tail = tailNames();
  const rankWeight = (i: number) => Math.pow(HEAD.length + 1 + i, -TAIL_EXPONENT);
  const headTotal = HEAD.reduce((sum, [, weight]) => sum + weight, 0);
  const scale = (100_000 - headTotal) / tail.reduce((sum, _, i) => sum + rankWeight(i), 0);
  tail.forEach((name, i) => list.push([name, scale * rankWeight(i)]));
  return list;
})();

/** Cumulative weights of SURNAMES, for a binary search per draw. */
const CUMULATIVE: Float64Array = (() => {
  const sums = new Float64Array(SURNAMES.length);
  let total = 0;
  SURNAMES.forEach(([, weight], i) => { total += weight; sums[i] = total; });
  return sums;
})();

/** The share of people (0..1) who carry `name`, by the distribution the generator draws from. */
export function surnameShare(name: string): number {
  const entry = SURNAMES.find(([n]) => n === name);
  return entry ? entry[1] / CUMULATIVE[CUMULATIVE.length - 1] : 0;
}

/** Draws a last name by frequency (one number from the stream, like Random.pick). */
export function drawSurname(rng: Random): string {
  const roll = rng.next() * CUMULATIVE[CUMULATIVE.length - 1];
  let low = 0;
  let high = CUMULATIVE.length - 1;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (CUMULATIVE[mid] > roll) high = mid;
    else low = mid + 1;
  }
  return SURNAMES[low][0];
}
