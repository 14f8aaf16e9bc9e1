// Checks the arguments of the MNI look-ups and turns them into store criteria. Each
// refusal is a BAD_USER_INPUT that names the argument and shows an accepted form.
import type { RaceCode, SexCode } from '../../seed/story.ts';
import { decodeCursor } from '../shared/cursor.ts';
import { badInput } from '../shared/errors.ts';
import { parseDate, parseFirst, parseNameText } from '../shared/inputs.ts';
import type { NameMatch, OffenderCriteria, SearchKey } from './store/index.ts';

/** The field name cursors of searchOffenders carry (a cursor of another list is refused). */
export const SEARCH_FIELD = 'searchOffenders';

export interface SearchArgs {
  lastName?: string | null;
  firstName?: string | null;
  dateOfBirth?: string | null;
  sex?: string | null;
  race?: string | null;
  phonetic?: boolean | null;
  first?: number | null;
  after?: string | null;
}

export interface ParsedSearch {
  criteria: OffenderCriteria;
  first: number;
  after?: SearchKey;
}

const CRITERIA = ['lastName', 'firstName', 'dateOfBirth', 'sex', 'race'] as const;

/** Checks searchOffenders arguments: at least one criterion, each in an accepted form. */
export function parseSearch(args: SearchArgs): ParsedSearch {
  if (CRITERIA.every((name) => args[name] === undefined || args[name] === null)) {
    throw badInput(`searchOffenders needs at least one criterion; give lastName, firstName, dateOfBirth, sex or race`);
  }
  const phonetic = args.phonetic === true;
  if (phonetic && (args.lastName === undefined || args.lastName === null)) {
    throw badInput('phonetic search needs lastName; give the last name as it sounds, e.g. lastName: "SMYTH", phonetic: true', 'lastName');
  }
  const criteria: OffenderCriteria = {};
  if (args.lastName != null) criteria.lastName = parseName(args.lastName, 'lastName', phonetic);
  if (args.firstName != null) criteria.firstName = parseName(args.firstName, 'firstName', phonetic);
  if (args.dateOfBirth != null) criteria.dateOfBirth = parseDate(args.dateOfBirth, 'dateOfBirth');
  if (args.sex != null) criteria.sex = parseSex(args.sex);
  if (args.race != null) criteria.race = parseRace(args.race);
  const first = parseFirst(args.first);
  if (!args.after) return { criteria, first };
  return { criteria, first, after: decodeCursor(SEARCH_FIELD, args.after, 3).map(String) as SearchKey };
}

/** A name criterion: exact, a prefix ending in *, or (phonetic) a whole name to code. */
export function parseName(value: string, argument: string, phonetic: boolean): NameMatch {
  const text = String(value).trim();
  const prefix = text.endsWith('*');
  const body = prefix ? text.slice(0, -1) : text;
  if (prefix && phonetic) {
    throw badInput(`${argument} "${value}" is a prefix; phonetic search compares whole names, e.g. SMITH`, argument);
  }
  // Refuses characters outside the name alphabet (a * only at the end), folds diacritics.
  const name = parseNameText(body, argument, String(value));
  return { mode: phonetic ? 'phonetic' : prefix ? 'prefix' : 'exact', value: name };
}

const SEX_WORDS: Record<string, SexCode> = { M: 'M', MALE: 'M', F: 'F', FEMALE: 'F', U: 'U', UNKNOWN: 'U' };
const RACE_CODES: RaceCode[] = ['W', 'B', 'A', 'I', 'U'];

export function parseSex(value: string): SexCode {
  const code = SEX_WORDS[String(value).trim().toUpperCase()];
  if (!code) throw badInput(`sex "${value}" is not an NCIC sex code; expected M (male), F (female) or U (unknown)`, 'sex');
  return code;
}

export function parseRace(value: string): RaceCode {
  const code = String(value).trim().toUpperCase() as RaceCode;
  if (!RACE_CODES.includes(code)) {
    throw badInput(`race "${value}" is not an NCIC race code; expected W (white), B (black), A (Asian or Pacific Islander), I (American Indian or Alaskan Native) or U (unknown)`, 'race');
  }
  return code;
}

/** FBI number: 1 to 9 letters and digits with at least one digit; spaces and hyphens dropped. */
export function parseFbiNumber(value: string, argument = 'fbiNumber'): string {
  const compact = String(value).replace(/[\s-]/g, '').toUpperCase();
  if (!/^[A-Z0-9]{1,9}$/.test(compact) || !/\d/.test(compact)) {
    throw badInput(`${argument} "${value}" is not an FBI number; expected 1 to 9 letters and digits, e.g. 123456AB7`, argument);
  }
  return compact;
}
