// Writes DOC's part of the synthetic life stories into the legacy tables: the inmate
// master and admissions with their movements (OMIS), time calculations (STC), parole
// cases with conditions and case notes (Parole). Multi-row inserts, chunked so that no
// statement passes PostgreSQL's 65 535 bind-parameter limit, all in one transaction.
import type { Kysely } from 'kysely';
import type { OffenderStory } from '../../../seed/story.ts';
import { FACILITIES } from '../../../seed/catalog.ts';
import { bulkInsert } from '../../shared/bulk-insert.ts';
import { CONTACT_TYPE, CUSTODY_STATUS, MOVEMENT_REASON, PAROLE_STATUS, RELEASE_TYPE, encode } from './codes.ts';
import type { CorrectionDatabase, Indicator } from './schema.ts';

type Rows = { [T in keyof CorrectionDatabase]: Array<CorrectionDatabase[T]> };

/** Inserts the stories' DOC records (facilities already present are kept). */
export async function seedStories(db: Kysely<CorrectionDatabase>, stories: OffenderStory[]): Promise<void> {
  const rows = toRows(stories);
  await db.transaction().execute(async (trx) => {
    await bulkInsert(trx, 'omis_fac', rows.omis_fac, (insert) => insert.onConflict((oc) => oc.doNothing()));
    await bulkInsert(trx, 'omis_inmt_mstr', rows.omis_inmt_mstr);
    await bulkInsert(trx, 'omis_adm', rows.omis_adm);
    await bulkInsert(trx, 'omis_mvmt', rows.omis_mvmt);
    await bulkInsert(trx, 'stc_sent_calc', rows.stc_sent_calc);
    await bulkInsert(trx, 'prl_case', rows.prl_case);
    await bulkInsert(trx, 'prl_cond', rows.prl_cond);
    await bulkInsert(trx, 'prl_case_note', rows.prl_case_note);
  });
}


/** A story timestamp as the `timestamp` column takes it (UTC, no zone). */
export function toTimestamp(iso: string): string {
  return new Date(iso).toISOString().replace('T', ' ').replace('Z', '');
}

const yn = (flag: boolean): Indicator => (flag ? 'Y' : 'N');

/** Maps stories to legacy rows. Exported for tests of the mapping itself. */
export function toRows(stories: OffenderStory[]): Rows {
  const rows: Rows = {
    omis_fac: [], omis_inmt_mstr: [], omis_adm: [], omis_mvmt: [], stc_sent_calc: [], prl_case: [], prl_cond: [], prl_case_note: [],
  };
  const facilities = new Map(FACILITIES.map((f) => [f.code, f.name]));
  // OMIS's pseudo-facility for movements out of DOC custody (release, parole).
  facilities.set('COMMUNITY', 'Community (outside DOC custody)');
  const facility = (code: string) => {
    if (!facilities.has(code)) facilities.set(code, code); // not in the catalogue: the code names itself
    return code;
  };

  for (const story of stories) {
    const { person } = story;
    // C.G.S. 54-142a: DOC records of an erased docket are kept but marked, never disclosed.
    const erased = new Set(story.cases.filter((c) => c.erased).map((c) => c.docketNumber));
    const docketsByInmate = new Map<string, string[]>();
    const master = (inmateNumber: string, docketNumber?: string) => {
      if (!docketsByInmate.has(inmateNumber)) {
        docketsByInmate.set(inmateNumber, []);
        rows.omis_inmt_mstr.push({
          inmt_no: inmateNumber, sid_no: person.sid, lst_nm: person.name.last, fst_nm: person.name.first,
          dob_dt: person.dateOfBirth, last_mod_ts: toTimestamp(story.lastUpdated),
        });
      }
      if (docketNumber) docketsByInmate.get(inmateNumber)!.push(docketNumber);
    };

    const admissions = [...story.custodies].sort((a, b) => a.admissionDate.localeCompare(b.admissionDate));
    const sequence = new Map<string, number>();
    for (const custody of admissions) {
      master(custody.inmateNumber, custody.docketNumber);
      const admSeq = (sequence.get(custody.inmateNumber) ?? 0) + 1;
      sequence.set(custody.inmateNumber, admSeq);
      rows.omis_adm.push({
        inmt_no: custody.inmateNumber, adm_seq: admSeq, dkt_no: custody.docketNumber, adm_dt: custody.admissionDate,
        fac_cd: facility(custody.facility), cust_lvl: custody.custodyLevel,
        inmt_stat_cd: encode(CUSTODY_STATUS, custody.status, 'inmt_stat_cd'), rel_dt: custody.releaseDate,
        rel_typ_cd: custody.releaseType ? encode(RELEASE_TYPE, custody.releaseType, 'rel_typ_cd') : null,
        erase_ind: yn(erased.has(custody.docketNumber)), last_mod_ts: toTimestamp(custody.lastUpdated),
      });
      custody.movements.forEach((move, index) => rows.omis_mvmt.push({
        inmt_no: custody.inmateNumber, adm_seq: admSeq, mvmt_seq: index + 1, mvmt_dt: move.date,
        from_fac_cd: move.fromFacility === null ? null : facility(move.fromFacility), to_fac_cd: facility(move.toFacility),
        mvmt_rsn_cd: encode(MOVEMENT_REASON, move.reason, 'mvmt_rsn_cd'),
      }));
    }

    for (const calc of story.timeCalculations) {
      master(calc.inmateNumber, calc.docketNumber);
      rows.stc_sent_calc.push({
        dkt_no: calc.docketNumber, inmt_no: calc.inmateNumber, sent_dt: calc.sentenceDate, term_dd: calc.termDays,
        jail_cr_dd: calc.jailCreditDays, rrec_dd: calc.earnedCreditDays, est_rel_dt: calc.estimatedReleaseDate,
        max_rel_dt: calc.maximumReleaseDate, ped: calc.paroleEligibilityDate, erase_ind: yn(erased.has(calc.docketNumber)),
        last_mod_ts: toTimestamp(calc.lastUpdated),
      });
    }

    for (const parole of story.paroles) {
      master(parole.inmateNumber);
      // A parole case carries no docket: it is erased only when every docket behind its
      // inmate number is.
      const dockets = docketsByInmate.get(parole.inmateNumber)!;
      rows.prl_case.push({
        prl_case_no: parole.caseNumber, inmt_no: parole.inmateNumber, prl_stat_cd: encode(PAROLE_STATUS, parole.status, 'prl_stat_cd'),
        dist_nm: parole.district, ofcr_nm: parole.officer, strt_dt: parole.startDate, sched_end_dt: parole.scheduledEndDate,
        end_dt: parole.endDate, erase_ind: yn(dockets.length > 0 && dockets.every((d) => erased.has(d))),
        last_mod_ts: toTimestamp(parole.lastUpdated),
      });
      parole.conditions.forEach((text, index) => rows.prl_cond.push({ prl_case_no: parole.caseNumber, cond_seq: index + 1, cond_txt: text }));
      parole.caseNotes.forEach((note, index) => rows.prl_case_note.push({
        prl_case_no: parole.caseNumber, note_seq: index + 1, note_dt: note.date, auth_nm: note.author,
        cntct_typ_cd: encode(CONTACT_TYPE, note.contactType, 'cntct_typ_cd'), note_txt: note.text, sens_ind: yn(note.sensitive),
      }));
    }
  }
  rows.omis_fac = [...facilities].map(([fac_cd, fac_nm]) => ({ fac_cd, fac_nm }));
  return rows;
}
