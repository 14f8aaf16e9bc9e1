// Writes the DPS part of synthetic life stories the way the legacy systems hold it: the
// person, aliases and scars/marks/tattoos in MNI, each case's arrest and charges in CCH
// (erased cases marked, per C.G.S. 54-142a, not left out: erasure seals a record, the
// bureau still holds it), and the registration in SOR. Multi-row inserts in chunks that
// stay well under the drivers' 65 535-parameter limit, all in one transaction.
import type { Kysely } from 'kysely';
import type { OffenderStory, PersonName } from '../../../seed/story.ts';
import { bulkInsert } from '../../shared/bulk-insert.ts';
import { normalizeName } from '../../shared/inputs.ts';
import type { DpsDatabase } from './schema.ts';
import { soundex } from './phonetic.ts';
import { toCcyymmdd, toCchDisposition, toDb2Timestamp, toNcicHeight, toSorStatus } from './legacy.ts';

type Rows = { [T in keyof DpsDatabase]: Array<DpsDatabase[T]> };

/** Writes the stories' DPS records (people already present are not expected). */
export async function seedStories(db: Kysely<DpsDatabase>, stories: OffenderStory[]): Promise<void> {
  const rows = toRows(stories);
  await db.transaction().execute(async (trx) => {
    // Parents before children, for the foreign keys.
    await bulkInsert(trx, 'MNI_PERSON', rows.MNI_PERSON);
    await bulkInsert(trx, 'MNI_ALIAS', rows.MNI_ALIAS);
    await bulkInsert(trx, 'MNI_SMT', rows.MNI_SMT);
    await bulkInsert(trx, 'CCH_ARREST', rows.CCH_ARREST);
    await bulkInsert(trx, 'CCH_CHARGE', rows.CCH_CHARGE);
    await bulkInsert(trx, 'SOR_REGISTRANT', rows.SOR_REGISTRANT);
  });
}

/** The legacy rows for a batch of stories (exported for tests). */
export function toRows(stories: OffenderStory[]): Rows {
  const rows: Rows = { MNI_PERSON: [], MNI_ALIAS: [], MNI_SMT: [], CCH_ARREST: [], CCH_CHARGE: [], SOR_REGISTRANT: [] };
  for (const story of stories) {
    const { person } = story;
    const name = mniName(person.name);
    rows.MNI_PERSON.push({
      SID: person.sid,
      FBI_NO: person.fbiNumber ? person.fbiNumber.replace(/[\s-]/g, '').toUpperCase() : null,
      ...name,
      DOB: toCcyymmdd(person.dateOfBirth),
      SEX_CD: person.sex,
      RACE_CD: person.race,
      HGT: toNcicHeight(person.heightInches),
      WGT: person.weightPounds,
      EYE_CD: person.eyeColor,
      HAIR_CD: person.hairColor,
      SNDX_LAST: soundex(name.NAM_LAST),
      SNDX_FIRST: soundex(name.NAM_FIRST),
      LAST_UPD_TS: toDb2Timestamp(story.lastUpdated),
    });
    person.aliases.forEach((alias, i) => {
      const aka = mniName(alias);
      rows.MNI_ALIAS.push({
        SID: person.sid, ALIAS_SEQ: i + 1, ...aka, SNDX_LAST: soundex(aka.NAM_LAST), SNDX_FIRST: soundex(aka.NAM_FIRST),
        PRI_LAST: name.NAM_LAST, PRI_FIRST: name.NAM_FIRST,
      });
    });
    person.scarsMarksTattoos.forEach((smt, i) => rows.MNI_SMT.push({ SID: person.sid, SMT_SEQ: i + 1, SMT_DESC: smt.slice(0, 80) }));
    for (const courtCase of story.cases) {
      const { arrest } = courtCase;
      rows.CCH_ARREST.push({
        OTN: arrest.trackingNumber,
        SID: person.sid,
        ARR_DT: toCcyymmdd(arrest.date),
        ARR_ORI: arrest.arrestingOri,
        ARR_AGCY: arrest.arrestingAgency.toUpperCase().slice(0, 80),
        DKT_NO: courtCase.docketNumber,
        ERASED_IND: courtCase.erased ? 'Y' : 'N',
      });
      for (const charge of courtCase.charges) {
        const code = toCchDisposition(charge.disposition);
        rows.CCH_CHARGE.push({
          OTN: arrest.trackingNumber,
          CHG_SEQ: charge.count,
          STATUTE: charge.offense.statute,
          CHG_DESC: charge.offense.description.toUpperCase().slice(0, 120),
          NCIC_CD: charge.offense.ncicCode,
          OFF_CLASS: charge.offense.offenseClass,
          CRT_DISP_CD: code,
          CRT_DISP_DT: code && charge.dispositionDate ? toCcyymmdd(charge.dispositionDate) : null,
        });
      }
    }
    const registration = story.registration;
    if (registration) {
      rows.SOR_REGISTRANT.push({
        REG_NO: registration.registrationNumber,
        SID: person.sid,
        DKT_NO: registration.docketNumber,
        REG_STAT_CD: toSorStatus(registration.status),
        COMPLY_IND: registration.compliant ? 'Y' : 'N',
        REG_DT: registration.registeredDate,
        EXP_DT: registration.expirationDate,
        LAST_VERIF_DT: registration.lastVerifiedDate,
        ADDR_STREET: registration.homeAddress.street.toUpperCase(),
        ADDR_CITY: registration.homeAddress.city.toUpperCase(),
        ADDR_ST: registration.homeAddress.state.toUpperCase(),
        ADDR_ZIP: registration.homeAddress.zip,
        LAST_UPD_TS: toDb2Timestamp(registration.lastUpdated),
      });
    }
  }
  return rows;
}

/** A name as MNI keys it: upper case, letters, apostrophes, hyphens and spaces only. */
export function mniName(name: PersonName): Pick<DpsDatabase['MNI_PERSON'], 'NAM_LAST' | 'NAM_FIRST' | 'NAM_MID' | 'NAM_SFX'> {
  const optional = (value: string | null, width: number) => (value && normalizeName(value) ? normalizeName(value).slice(0, width) : null);
  return {
    NAM_LAST: normalizeName(name.last).slice(0, 40),
    NAM_FIRST: normalizeName(name.first).slice(0, 30),
    NAM_MID: optional(name.middle, 30),
    NAM_SFX: optional(name.suffix, 4),
  };
}

// Private: multi-row inserts of one table, chunked by the parameter budget.
