// The Judicial Branch's legacy tables as Kysely sees them: one SQL schema per source
// system (ccms, cib, prawn, por, pcms) in one database. Column names are the systems'
// own (snake_case court abbreviations); README.md says what each one means. Dates are
// 'YYYY-MM-DD' text and timestamps 'YYYY-MM-DD HH:MM:SS' text (shared/db.ts sets the
// parsers); numerics are numbers. Dockets are kept without hyphens, as CCMS keys them
// (H12MCR190123456S); the store adds the hyphens on the way out.

/** ccms.crt_loc_ref: court locations (GA, JD and housing sessions). */
export interface CourtLocationTable {
  crt_loc: string;
  crt_nm: string | null;
}

/** ccms.dfndnt: the Branch's defendant index, keyed by the SPBI number (SID). */
export interface DefendantTable {
  sid_no: string;
  lst_nm: string;
  fst_nm: string;
  mid_nm: string | null;
  sfx_nm: string | null;
  dob_dt: string;
  sex_cd: string;
  race_cd: string;
  last_chg_ts: string;
}

/** ccms.crim_case: one criminal docket. erase_flg 'Y' = erased under C.G.S. 54-142a. */
export interface CriminalCaseTable {
  dkt_no: string;
  sid_no: string;
  crt_loc: string;
  otn_no: string;
  arst_dt: string;
  arst_ori: string;
  arrgn_dt: string;
  case_stat_cd: string;
  erase_flg: string;
  last_chg_ts: string;
}

/** ccms.chrg: the counts of the information. */
export interface ChargeTable {
  dkt_no: string;
  cnt_no: number;
  stat_cd: string;
  chrg_desc: string;
  off_cls_cd: string;
  ncic_cd: string;
  fv_flg: string;
}

/** ccms.plea / ccms.vrdct / ccms.dispo: one row per count that has one. */
export interface CountEventTable {
  dkt_no: string;
  cnt_no: number;
}
export interface PleaTable extends CountEventTable {
  plea_cd: string;
  plea_dt: string | null;
}
export interface VerdictTable extends CountEventTable {
  vrdct_cd: string;
  vrdct_dt: string | null;
}
export interface DispositionTable extends CountEventTable {
  dispo_cd: string;
  dispo_dt: string | null;
}

/** ccms.sntnc: the sentence on a docket (terms in days, probation in months). */
export interface SentenceTable {
  dkt_no: string;
  sntnc_dt: string;
  sntnc_typ_cd: string;
  term_dd: number;
  susp_dd: number;
  prob_mo: number;
  fine_amt: number;
}

/** ccms.bond: the bond set at arraignment. */
export interface BondTable {
  dkt_no: string;
  bond_typ_cd: string;
  bond_amt: number;
  post_flg: string;
}

/** ccms.hrng: court calendar entries; hrng_stat_cd 'S' = scheduled, 'H' = held. */
export interface HearingTable {
  dkt_no: string;
  hrng_seq: number;
  hrng_dt: string;
  hrng_purp: string;
  hrng_stat_cd: string;
}

/** prawn.wrnt: re-arrest warrants. */
export interface WarrantTable {
  wrnt_no: string;
  sid_no: string;
  wrnt_typ_cd: string;
  dkt_no: string;
  crt_loc: string;
  iss_dt: string;
  wrnt_stat_cd: string;
  clsd_dt: string | null;
  bond_amt: number;
  last_chg_ts: string;
}

/** por.prot_ord: protective and restraining orders. */
export interface ProtectiveOrderTable {
  ord_no: string;
  sid_no: string;
  ord_typ_cd: string;
  dkt_no: string | null;
  crt_loc: string;
  iss_dt: string;
  exp_dt: string;
  mod_dt: string | null;
  vac_dt: string | null;
  last_chg_ts: string;
}

/** por.ord_cond: the conditions of an order, in order. */
export interface OrderConditionTable {
  ord_no: string;
  cond_seq: number;
  cond_txt: string;
}

/** por.prot_prsn: the persons an order protects. */
export interface ProtectedPersonTable {
  ord_no: string;
  prsn_seq: number;
  lst_nm: string;
  fst_nm: string;
  mid_nm: string | null;
  sfx_nm: string | null;
  dob_dt: string;
  rel_desc: string;
}

/** cib.tkt: infraction tickets. */
export interface TicketTable {
  tkt_no: string;
  sid_no: string;
  viol_dt: string;
  stat_cd: string;
  viol_desc: string;
  fine_amt: number;
  tkt_stat_cd: string;
  iss_ori: string;
  last_chg_ts: string;
}

/** pcms.prob_case: adult probation supervision (CSSD). */
export interface ProbationCaseTable {
  prob_case_no: string;
  sid_no: string;
  dkt_no: string;
  prob_stat_cd: string;
  strt_dt: string;
  sched_end_dt: string;
  end_dt: string | null;
  po_nm: string;
  ofc_nm: string;
  last_chg_ts: string;
}

/** pcms.prob_cond: conditions of probation, in order. */
export interface ProbationConditionTable {
  prob_case_no: string;
  cond_seq: number;
  cond_txt: string;
}

/** pcms.prob_viol: violations recorded on a probation case. */
export interface ProbationViolationTable {
  prob_case_no: string;
  viol_seq: number;
  viol_dt: string;
  viol_desc: string;
}

/** The whole Judicial store, schema-qualified as Kysely addresses it. */
export interface JudicialDb {
  'ccms.crt_loc_ref': CourtLocationTable;
  'ccms.dfndnt': DefendantTable;
  'ccms.crim_case': CriminalCaseTable;
  'ccms.chrg': ChargeTable;
  'ccms.plea': PleaTable;
  'ccms.vrdct': VerdictTable;
  'ccms.dispo': DispositionTable;
  'ccms.sntnc': SentenceTable;
  'ccms.bond': BondTable;
  'ccms.hrng': HearingTable;
  'prawn.wrnt': WarrantTable;
  'por.prot_ord': ProtectiveOrderTable;
  'por.ord_cond': OrderConditionTable;
  'por.prot_prsn': ProtectedPersonTable;
  'cib.tkt': TicketTable;
  'pcms.prob_case': ProbationCaseTable;
  'pcms.prob_cond': ProbationConditionTable;
  'pcms.prob_viol': ProbationViolationTable;
}
