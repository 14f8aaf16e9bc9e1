// Arguments only the Judicial Branch accepts: warrant and order numbers (PRAWN and POR
// number them WR-/PO-, the year of issue and a 7-digit serial) and court location codes.
// Each check returns the canonical form or throws BAD_USER_INPUT showing the expected form.
import { badInput } from '../shared/errors.ts';
import { parseDocket } from '../shared/inputs.ts';

/** Checks a PRAWN warrant number, e.g. WR-2024-0001234. */
export function parseWarrantNumber(value: string, argument = 'warrantNumber'): string {
  const text = String(value).trim().toUpperCase();
  if (!/^WR-\d{4}-\d{7}$/.test(text)) {
    throw badInput(`${argument} "${value}" is not a warrant number; expected WR, the year and 7 digits, e.g. WR-2024-0001234`, argument);
  }
  return text;
}

/** Checks a Protection Order Registry number, e.g. PO-2024-0001234. */
export function parseOrderNumber(value: string, argument = 'orderNumber'): string {
  const text = String(value).trim().toUpperCase();
  if (!/^PO-\d{4}-\d{7}$/.test(text)) {
    throw badInput(`${argument} "${value}" is not a protective order number; expected PO, the year and 7 digits, e.g. PO-2024-0001234`, argument);
  }
  return text;
}

/** Checks a court location code: a letter, two digits and a letter, e.g. H12M. */
export function parseCourtCode(value: string, argument = 'court'): string {
  const text = String(value).trim().toUpperCase();
  if (!/^[A-Z]\d{2}[A-Z]$/.test(text)) {
    throw badInput(`${argument} "${value}" is not a court location code; expected a letter, two digits and a letter, e.g. H12M`, argument);
  }
  return text;
}

/** A docket from an entity representation: canonical form, or null when it is not one. */
export function docketOrNull(value: unknown): string | null {
  try {
    return parseDocket(String(value));
  } catch {
    return null;
  }
}

/** Today's date in Connecticut (America/New_York), YYYY-MM-DD: "today" for order statuses. */
export function todayInConnecticut(now = new Date()): string {
  return CONNECTICUT_DATE.format(now);
}

// Private: building an Intl formatter costs far more than using one, so there is one.
const CONNECTICUT_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit' });
