// Writes the Judicial Branch's part of the synthetic life stories into the legacy tables:
// CCMS dockets (with counts, pleas, verdicts, dispositions, sentence, bond, calendar),
// PRAWN warrants, POR orders, CIB tickets and PCMS probation. Rows are gathered first and
// written with multi-row inserts in one transaction, chunked so no statement carries more
// bind parameters than the drivers allow (PostgreSQL's limit is 65 535 per statement).
import type { Insertable, Kysely } from 'kysely';
import type { OffenderStory, PersonName } from '../../../seed/story.ts';
import { bulkInsert } from '../../shared/bulk-insert.ts';
import type { JudicialDb } from './tables.ts';
import * as code from './codes.ts';

type Rows = { [T in keyof JudicialDb]: Array<Insertable<JudicialDb[T]>> };

/** Inserts the stories' judicial records (courts already present are kept, names filled in). */
export async function seedJudicial(db: Kysely<JudicialDb>, stories: OffenderStory[]): Promise<void> {
  const rows = collect(stories);
  await db.transaction().execute(async (trx) => {
    // Courts already present keep their row; a missing name is filled in.
    await bulkInsert(trx, 'ccms.crt_loc_ref', rows['ccms.crt_loc_ref'], (insert) => insert
      .onConflict((oc) => oc.column('crt_loc').doUpdateSet((eb: any) => ({ crt_nm: eb.fn.coalesce('excluded.crt_nm', 'ccms.crt_loc_ref.crt_nm') }))));
    for (const table of Object.keys(rows) as Array<keyof JudicialDb>) {
      if (table !== 'ccms.crt_loc_ref') await bulkInsert(trx, table, rows[table]);
    }
  });
}

// Private: every row of every table, parents before children (key order of `Rows`).
function collect(stories: OffenderStory[]): Rows {
  const rows: Rows = {
    'ccms.crt_loc_ref': [], 'ccms.dfndnt': [], 'ccms.crim_case': [], 'ccms.chrg': [], 'ccms.plea': [],
    'ccms.vrdct': [], 'ccms.dispo': [], 'ccms.sntnc': [], 'ccms.bond': [], 'ccms.hrng': [],
    'prawn.wrnt': [], 'por.prot_ord': [], 'por.ord_cond': [], 'por.prot_prsn': [], 'cib.tkt': [],
    'pcms.prob_case': [], 'pcms.prob_cond': [], 'pcms.prob_viol': [],
  };
  const courts = new Map<string, string | null>();
  const court = (loc: string, name: string | null) => {
    if (!courts.get(loc)) courts.set(loc, name);
  };

  for (const story of stories) {
    const sid = story.person.sid;
    const known = story.cases.length + story.warrants.length + story.protectiveOrders.length + story.infractions.length + story.probations.length;
    if (known === 0) continue;
    const { name } = story.person;
    rows['ccms.dfndnt'].push({
      sid_no: sid, lst_nm: name.last, fst_nm: name.first, mid_nm: name.middle, sfx_nm: name.suffix,
      dob_dt: story.person.dateOfBirth, sex_cd: story.person.sex, race_cd: story.person.race, last_chg_ts: story.lastUpdated,
    });

    for (const c of story.cases) {
      const dkt = code.storedDocket(c.docketNumber);
      court(c.court, c.courtName);
      rows['ccms.crim_case'].push({
        dkt_no: dkt, sid_no: sid, crt_loc: c.court, otn_no: c.arrest.trackingNumber, arst_dt: c.arrest.date,
        arst_ori: c.arrest.arrestingOri, arrgn_dt: c.arraignmentDate, case_stat_cd: code.caseStatus.encode(c.status),
        erase_flg: code.flag(c.erased), last_chg_ts: c.lastUpdated,
      });
      for (const ch of c.charges) {
        const key = { dkt_no: dkt, cnt_no: ch.count };
        rows['ccms.chrg'].push({
          ...key, stat_cd: ch.offense.statute, chrg_desc: ch.offense.description, off_cls_cd: ch.offense.offenseClass,
          ncic_cd: ch.offense.ncicCode, fv_flg: code.flag(ch.offense.familyViolence),
        });
        if (ch.plea) rows['ccms.plea'].push({ ...key, plea_cd: code.plea.encode(ch.plea), plea_dt: ch.pleaDate });
        if (ch.verdict) rows['ccms.vrdct'].push({ ...key, vrdct_cd: code.verdict.encode(ch.verdict), vrdct_dt: ch.verdictDate });
        if (ch.disposition) {
          rows['ccms.dispo'].push({ ...key, dispo_cd: code.disposition.encode(ch.disposition), dispo_dt: ch.dispositionDate });
        }
      }
      if (c.sentence) {
        const s = c.sentence;
        rows['ccms.sntnc'].push({
          dkt_no: dkt, sntnc_dt: s.date, sntnc_typ_cd: code.sentenceType.encode(s.type), term_dd: s.termDays,
          susp_dd: s.suspendedDays, prob_mo: s.probationMonths, fine_amt: s.fineAmount,
        });
      }
      rows['ccms.bond'].push({ dkt_no: dkt, bond_typ_cd: code.bondType.encode(c.bond.type), bond_amt: c.bond.amount, post_flg: code.flag(c.bond.posted) });
      // The calendar: the arraignment (held) and the next scheduled event, if any.
      rows['ccms.hrng'].push({ dkt_no: dkt, hrng_seq: 1, hrng_dt: c.arraignmentDate, hrng_purp: 'ARRAIGNMENT', hrng_stat_cd: 'H' });
      if (c.nextHearing) {
        rows['ccms.hrng'].push({ dkt_no: dkt, hrng_seq: 2, hrng_dt: c.nextHearing.date, hrng_purp: c.nextHearing.purpose, hrng_stat_cd: 'S' });
      }
    }

    for (const w of story.warrants) {
      court(w.court, null);
      rows['prawn.wrnt'].push({
        wrnt_no: w.warrantNumber, sid_no: sid, wrnt_typ_cd: code.warrantType.encode(w.type), dkt_no: code.storedDocket(w.docketNumber),
        crt_loc: w.court, iss_dt: w.issuedDate, wrnt_stat_cd: code.warrantStatus.encode(w.status), clsd_dt: w.closedDate,
        bond_amt: w.bondAmount, last_chg_ts: w.lastUpdated,
      });
    }

    for (const o of story.protectiveOrders) {
      court(o.court, null);
      rows['por.prot_ord'].push({
        ord_no: o.orderNumber, sid_no: sid, ord_typ_cd: code.orderType.encode(o.type),
        dkt_no: o.docketNumber ? code.storedDocket(o.docketNumber) : null, crt_loc: o.court, iss_dt: o.issuedDate,
        exp_dt: o.expirationDate, mod_dt: o.modifiedDate, vac_dt: o.vacatedDate, last_chg_ts: o.lastUpdated,
      });
      o.conditions.forEach((text, i) => rows['por.ord_cond'].push({ ord_no: o.orderNumber, cond_seq: i + 1, cond_txt: text }));
      o.protectedPersons.forEach((p, i) => rows['por.prot_prsn'].push({
        ord_no: o.orderNumber, prsn_seq: i + 1, ...nameColumns(p.name), dob_dt: p.dateOfBirth, rel_desc: p.relationship,
      }));
    }

    for (const t of story.infractions) {
      rows['cib.tkt'].push({
        tkt_no: t.ticketNumber, sid_no: sid, viol_dt: t.date, stat_cd: t.statute, viol_desc: t.description,
        fine_amt: t.amount, tkt_stat_cd: code.ticketStatus.encode(t.status), iss_ori: t.issuingOri, last_chg_ts: t.lastUpdated,
      });
    }

    for (const p of story.probations) {
      rows['pcms.prob_case'].push({
        prob_case_no: p.caseNumber, sid_no: sid, dkt_no: code.storedDocket(p.docketNumber), prob_stat_cd: code.probationStatus.encode(p.status),
        strt_dt: p.startDate, sched_end_dt: p.scheduledEndDate, end_dt: p.endDate, po_nm: p.officer, ofc_nm: p.office, last_chg_ts: p.lastUpdated,
      });
      p.conditions.forEach((text, i) => rows['pcms.prob_cond'].push({ prob_case_no: p.caseNumber, cond_seq: i + 1, cond_txt: text }));
      p.violations.forEach((v, i) => rows['pcms.prob_viol'].push({ prob_case_no: p.caseNumber, viol_seq: i + 1, viol_dt: v.date, viol_desc: v.description }));
    }
  }
  for (const [crt_loc, crt_nm] of courts) rows['ccms.crt_loc_ref'].push({ crt_loc, crt_nm });
  return rows;
}

// Private: a person's name in the POR name columns.
function nameColumns(name: PersonName) {
  return { lst_nm: name.last, fst_nm: name.first, mid_nm: name.middle, sfx_nm: name.suffix };
}
