// The identifiers and arguments every subgraph accepts, checked in one place so the
// same mistake gets the same message from every agency.
import { badInput } from './errors.ts';

/** SPBI state identification number: 9 digits, zero-padded (MNI is its authority). */
export const SID_PATTERN = /^\d{9}$/;

/** Checks a SID; accepts fewer digits and pads them, as SPBI numbers are zero-padded. */
export function parseSid(value: string, argument = 'sid'): string {
  const trimmed = String(value).trim();
  if (!/^\d{1,9}$/.test(trimmed) || /^0+$/.test(trimmed)) {
    throw badInput(`${argument} "${value}" is not a state identification number; expected 9 digits, e.g. 000123456`, argument);
  }
  return trimmed.padStart(9, '0');
}

// Docket: court location (letter, 2 digits, letter), case type and 2-digit year, a
// 7-digit sequence and a one-letter suffix, e.g. H12M-CR19-0123456-S.
const DOCKET_LOOSE = /^([A-Z]\d{2}[A-Z])-?([A-Z]{2})(\d{2})-?(\d{7})-?([A-Z])$/;

/** Checks a docket number, with or without hyphens, and returns its canonical form. */
export function parseDocket(value: string, argument = 'docketNumber'): string {
  const match = DOCKET_LOOSE.exec(String(value).trim().toUpperCase());
  if (!match) {
    throw badInput(`${argument} "${value}" is not a docket number; expected e.g. H12M-CR19-0123456-S (hyphens optional)`, argument);
  }
  const [, court, type, year, sequence, suffix] = match;
  return `${court}-${type}${year}-${sequence}-${suffix}`;
}

/** DOC inmate number: 6 digits (7 for the newest numbers), e.g. 301234. */
export function parseInmateNumber(value: string, argument = 'inmateNumber'): string {
  const trimmed = String(value).trim();
  if (!/^\d{6,7}$/.test(trimmed)) throw badInput(`${argument} "${value}" is not a DOC inmate number; expected 6 or 7 digits, e.g. 301234`, argument);
  return trimmed;
}

/** A calendar date in ISO form that really exists (no 2023-02-30). */
export function parseDate(value: string, argument: string): string {
  const text = String(value).trim();
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match) {
    const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const date = new Date(Date.UTC(y, m - 1, d));
    if (date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d && y >= 1900 && y <= 2199) return text;
  }
  throw badInput(`${argument} "${value}" is not a date; expected a real calendar date as YYYY-MM-DD, e.g. 2024-03-15`, argument);
}

/** Checks that a range runs forwards. */
export function checkRange(from: string | undefined, to: string | undefined, fromName = 'from', toName = 'to'): void {
  if (from && to && from > to) throw badInput(`${fromName} (${from}) is after ${toName} (${to}); expected ${fromName} on or before ${toName}`, fromName);
}

export const MAX_PAGE = 100;
export const DEFAULT_PAGE = 20;

/** Page size: 1..100, 20 when not given. */
export function parseFirst(value: number | null | undefined, argument = 'first'): number {
  return wholeArgument(value, argument, MAX_PAGE, DEFAULT_PAGE);
}

/** A whole-number argument from 1 to `max`, `fallback` when not given; otherwise a BAD_USER_INPUT saying so. */
export function wholeArgument(value: number | null | undefined, argument: string, max: number, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) throw badInput(`${argument} is ${value}; expected a whole number from 1 to ${max}`, argument);
  return value;
}

/** Normalises a name for search the way the stores keep it: upper case, letters only. */
export function normalizeName(value: string): string {
  return value.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toUpperCase().replace(/[^A-Z' -]/g, '').trim();
}

/** What a name argument may hold once diacritics are folded (SECURITY.md: name search). */
export const NAME_ALPHABET = "letters A-Z (diacritics fold to their base letter: É → E), apostrophe, hyphen, period and space";

/**
 * Checks a name argument and returns it as the stores keep names (normalizeName). Letters
 * with diacritics fold to their base letter (NFD, then combining marks dropped: "MÜLLER"
 * is MULLER); any other character is refused, never dropped: "SMITH中" silently searching
 * for SMITH would answer a question nobody asked (the red team's 161 matches).
 */
export function parseNameText(value: string, argument: string, asGiven: string = value): string {
  const folded = String(value).normalize('NFD').replace(/\p{M}/gu, '').trim();
  const outside = [...new Set(folded.replace(/[A-Za-z' .-]/g, ''))];
  if (outside.length) {
    const shown = outside.slice(0, 5).map((c) => `"${c}" (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`).join(', ');
    throw badInput(`${argument} "${asGiven}" is not a name; expected ${NAME_ALPHABET}, e.g. SMITH or O'BRIEN-DÍAZ, and ${shown} ${outside.length > 1 ? 'are' : 'is'} none of these`, argument);
  }
  const name = normalizeName(folded);
  if (!/[A-Z]/.test(name)) throw badInput(`${argument} "${asGiven}" is not a name; expected ${NAME_ALPHABET}, e.g. SMITH`, argument);
  return name;
}
