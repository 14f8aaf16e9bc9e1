// How the DPS legacy columns map to the records the subgraph serves: CCYYMMDD dates,
// DB2 timestamps, NCIC height, one-letter status codes, three-letter disposition codes.
// Each mapping has its inverse here too (the seed writes what the mainframe would).
import type { DispositionCode, RegistrationStatus, SexCode, RaceCode } from '../../../seed/story.ts';

export interface PersonNameRecord {
  last: string;
  first: string;
  middle: string | null;
  suffix: string | null;
}

/** An MNI person as the subgraph serves it (lists come from their own loaders). */
export interface OffenderRecord {
  sid: string;
  fbiNumber: string | null;
  name: PersonNameRecord;
  dateOfBirth: string | null;
  sex: SexCode;
  race: RaceCode;
  heightInches: number | null;
  weightPounds: number | null;
  eyeColor: string | null;
  hairColor: string | null;
  /** ISO 8601 UTC timestamp of MNI's last change. */
  recordLastUpdated: string;
}

export type DispositionEnum = 'CONVICTED' | 'NOLLE' | 'DISMISSED' | 'NOT_GUILTY';
export type RegistrationStatusEnum = 'ACTIVE' | 'NON_COMPLIANT' | 'INCARCERATED' | 'EXPIRED';

export interface ArrestChargeRecord {
  sequence: number;
  statute: string;
  description: string;
  ncicOffenseCode: string;
  offenseClass: string;
  courtDisposition: { code: DispositionEnum; date: string | null } | null;
}

export interface ArrestRecord {
  trackingNumber: string;
  /** The court docket the arrest went to (canonical), when known: the disclosure guard checks it. */
  docketNumber: string | null;
  date: string;
  arrestingAgencyOri: string;
  arrestingAgencyName: string;
  charges: ArrestChargeRecord[];
}

export interface RegistrationRecord {
  registrationNumber: string;
  status: RegistrationStatusEnum;
  registeredDate: string;
  expirationDate: string | null;
  compliant: boolean;
  lastVerifiedDate: string;
  homeAddress: { street: string; city: string; state: string; zip: string };
  /** ISO 8601 UTC timestamp of SOR's last change. */
  recordLastUpdated: string;
}

/** '2024-03-15' → '20240315'. */
export function toCcyymmdd(isoDate: string): string {
  return isoDate.slice(0, 10).replace(/-/g, '');
}

/** '20240315' → '2024-03-15'; all zeros (MNI's "unknown") → null. */
export function fromCcyymmdd(value: string | null): string | null {
  if (!value || /^0+$/.test(value.trim())) return null;
  return `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
}

/** An ISO timestamp (UTC when it names no zone) → DB2 text '2024-03-15-10.22.05.123000'. */
export function toDb2Timestamp(iso: string): string {
  const zoned = /T.*(Z|[+-]\d{2}:?\d{2})$/.test(iso) || !iso.includes('T') ? iso : `${iso}Z`;
  const text = new Date(zoned).toISOString(); // 2024-03-15T10:22:05.123Z
  return `${text.slice(0, 10)}-${text.slice(11, 13)}.${text.slice(14, 16)}.${text.slice(17, 19)}.${text.slice(20, 23)}000`;
}

/** DB2 text timestamp → ISO 8601 UTC with milliseconds. */
export function fromDb2Timestamp(value: string): string {
  const v = value.trim();
  return `${v.slice(0, 10)}T${v.slice(11, 13)}:${v.slice(14, 16)}:${v.slice(17, 19)}.${v.slice(20, 23)}Z`;
}

/** Inches → NCIC height (feet, then inches as two digits): 71 → '511'. */
export function toNcicHeight(inches: number | null): string | null {
  if (inches === null || !Number.isFinite(inches) || inches <= 0 || inches >= 120) return null;
  return `${Math.floor(inches / 12)}${String(inches % 12).padStart(2, '0')}`;
}

/** NCIC height → inches: '511' → 71; '000' (unknown) → null. */
export function fromNcicHeight(value: string | null): number | null {
  if (!value || !/^\d{3}$/.test(value) || value === '000') return null;
  return Number(value[0]) * 12 + Number(value.slice(1));
}

const DISPOSITION_TO_CCH: Record<DispositionCode, string> = { CONVICTED: 'CNV', NOLLE: 'NOL', DISMISSED: 'DIS', 'NOT GUILTY': 'NGU' };
const DISPOSITION_FROM_CCH: Record<string, DispositionEnum> = { CNV: 'CONVICTED', NOL: 'NOLLE', DIS: 'DISMISSED', NGU: 'NOT_GUILTY' };

export function toCchDisposition(code: DispositionCode | null): string | null {
  return code ? DISPOSITION_TO_CCH[code] : null;
}

/** CCH disposition code → GraphQL enum value; unknown codes read as "not posted". */
export function fromCchDisposition(code: string | null): DispositionEnum | null {
  return code ? DISPOSITION_FROM_CCH[code.trim()] ?? null : null;
}

const STATUS_TO_SOR: Record<RegistrationStatus, string> = { ACTIVE: 'A', 'NON-COMPLIANT': 'N', INCARCERATED: 'I', EXPIRED: 'E' };
const STATUS_FROM_SOR: Record<string, RegistrationStatusEnum> = { A: 'ACTIVE', N: 'NON_COMPLIANT', I: 'INCARCERATED', E: 'EXPIRED' };

export function toSorStatus(status: RegistrationStatus): string {
  return STATUS_TO_SOR[status];
}

export function fromSorStatus(code: string): RegistrationStatusEnum {
  const status = STATUS_FROM_SOR[code.trim()];
  if (!status) throw new Error(`SOR_REGISTRANT.REG_STAT_CD "${code}" is not a known status code`);
  return status;
}

/** 'Y'/'N' indicator → boolean. */
export function fromIndicator(value: string): boolean {
  return value.trim() === 'Y';
}
