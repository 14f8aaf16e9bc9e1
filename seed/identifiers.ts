// How the generator numbers things. Every identifier is derived from the offender's index
// (and the case's position in the story), so identifiers never collide and never depend
// on which slice of the population a run generates.
import type { Random } from './random.ts';

/** Identifiers that belong to the person. */
export function personIds(index: number) {
  return {
    /** SPBI number: 9 digits, zero-padded. */
    sid: String(100_001 + index).padStart(9, '0'),
    /** DOC inmate number, one per person across incarcerations: 6 digits (7 past 900 000 people). */
    inmateNumber: String(100_000 + index),
    /** FBI number: 6 digits (a permutation of the index), 2 letters, 1 check digit, e.g. 482913KA7. */
    fbiNumber(rng: Random): string {
      const digits = String((index * 7919 + 104_729) % 1_000_000).padStart(6, '0');
      const letter = () => String.fromCharCode(65 + rng.int(0, 25));
      return `${digits}${letter()}${letter()}${rng.int(0, 9)}`;
    },
  };
}

/** Identifiers of case `k` (0-based) of offender `index`. */
export function caseIds(index: number, k: number, arrestDate: string) {
  const serial = String((index * 8 + k) % 10_000_000).padStart(7, '0');
  const yy = arrestDate.slice(2, 4);
  return {
    /** Docket: court location, CR + year, 7-digit sequence, suffix, e.g. H12M-CR19-0123456-S. */
    docketNumber: (court: string) => `${court}-CR${yy}-${serial}-S`,
    /** Offense Tracking Number on the arrest, linking CCH to the court case. */
    trackingNumber: `CT${yy}${String(index * 8 + k).padStart(8, '0')}`,
  };
}
