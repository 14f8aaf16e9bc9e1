// Erasure under C.G.S. 54-142a: when every charge on a docket ends in a nolle (after
// 13 months), a dismissal or an acquittal, the records of the case are erased and may
// not be disclosed. CCMS keeps the docket with erase_flg = 'Y'; every query in this store
// filters it out in SQL, and so do the PRAWN, POR and PCMS queries for records tied to an
// erased docket, so an erased record never leaves the database.
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { JudicialDb } from './tables.ts';

/** CCMS erase_flg value of a case that may be disclosed. */
export const NOT_ERASED = 'N';

/**
 * True when the docket in `docketColumn` (e.g. 'w.dkt_no') is not an erased CCMS case.
 * A null docket (a civil restraining order) is not tied to any case and stays visible.
 */
export function docketNotErased(eb: ExpressionBuilder<any, any>, docketColumn: string): Expression<SqlBool> {
  const db = eb as unknown as ExpressionBuilder<JudicialDb, never>;
  return db.not(
    db.exists(
      db.selectFrom('ccms.crim_case as erased')
        .select('erased.dkt_no')
        .where('erased.erase_flg', '<>', NOT_ERASED)
        .where('erased.dkt_no', '=', eb.ref(docketColumn)),
    ),
  );
}
