// Verifying the audit log against its signed checkpoints (CJIS AU-9, AU-10, AU-11). The
// hash chain shows accidents; the checkpoints show tampering by someone who can rewrite
// the log and recompute every hash but cannot sign:
// - every checkpoint's signature, and the checkpoints' own chain (none removed or altered);
// - every checkpointed record still has the signed hash (edits, inserts, deletes with
//   recomputed hashes);
// - the log reaches the newest checkpoint (records removed from the end);
// - a log that starts after record 1 is explained by a signed prune statement whose
//   cut-off is past the retention period (records removed from the start);
// - every record was anchored within the checkpoint interval of being written, and none
//   after the newest checkpoint is older than that (records appended outside a writer).
import type { KeyObject } from 'node:crypto';
import { checkpointDigest, isCheckpoint, signatureValid, type Checkpoint } from './checkpoint.ts';
import { GENESIS_HASH, verifyChain, type AuditRecord, type ChainBreak } from './record.ts';
import type { AuditInspection } from './store.ts';

const DAY_MS = 86_400_000;
/** Slack for the checkpoint timer, a flush waiting on the lock, and clocks. */
const GRACE_MS = 30_000;

export interface VerifyOptions {
  /** The public key checkpoints must be signed with; null: none configured (chain only). */
  trusted: { keyId: string; key: KeyObject } | null;
  retentionDays: number;
  /** The writers' checkpoint interval (AUDIT_CHECKPOINT_SECONDS). */
  intervalMs: number;
  now?: Date;
}

/** broken: tampering shown; unproven: records no checkpoint vouches for; notes: what else a reader should know. */
export interface VerifyReport {
  count: number;
  firstSeq: number | null;
  lastSeq: number | null;
  chain: ChainBreak | null;
  broken: string[];
  unproven: string[];
  notes: string[];
  checkpoints: number;
  newest: Checkpoint | null;
}

export function verifyInspection(inspection: AuditInspection, options: VerifyOptions): VerifyReport {
  const { records, checkpoints } = inspection;
  const now = options.now?.getTime() ?? Date.now();
  const result = verifyChain(records);
  const report: VerifyReport = { count: result.count, firstSeq: result.firstSeq, lastSeq: null, chain: result.broken, broken: [], unproven: [], notes: [], checkpoints: checkpoints.length, newest: null };
  const valid = records.filter((record): record is AuditRecord => typeof record?.seq === 'number' && typeof record.hash === 'string');
  const bySeq = new Map(valid.map((record) => [record.seq, record]));
  report.lastSeq = valid.at(-1)?.seq ?? null;
  const first = valid[0];
  if (result.broken) report.broken.push(`record ${result.broken.seq ?? '?'} (line ${result.broken.position}): ${result.broken.problem}`);
  tornWrites(inspection, valid, report);
  for (const record of valid) if (Date.parse(record.time) > now + GRACE_MS) report.broken.push(`record ${record.seq} is dated ${record.time}, in the future`);

  if (!options.trusted) {
    report.notes.push('no checkpoint key configured (AUDIT_CHECKPOINT_KEY_FILE): only the hash chain was checked, which does not show a rewrite with recomputed hashes');
    if (first && first.seq > 1) report.notes.push(`starts at record ${first.seq}; records before it were removed (not proven to be by retention)`);
    return report;
  }
  const trusted = options.trusted;

  // The checkpoints themselves: signed by the trusted key, numbered and linked without gaps.
  const good: Checkpoint[] = [];
  let previous: Checkpoint | null = null;
  checkpoints.forEach((checkpoint, index) => {
    if (!isCheckpoint(checkpoint)) return report.broken.push(`checkpoint line ${index + 1} is not a checkpoint`);
    if (checkpoint.keyId !== trusted.keyId) return report.broken.push(`checkpoint #${checkpoint.n} is signed by key ${checkpoint.keyId}, not the trusted key ${trusted.keyId}`);
    if (!signatureValid(checkpoint, trusted.key)) return report.broken.push(`checkpoint #${checkpoint.n}: the signature does not verify (the checkpoint was forged or altered)`);
    const expected = previous ? { n: previous.n + 1, prev: checkpointDigest(previous) } : { n: 1, prev: GENESIS_HASH };
    if (checkpoint.n !== expected.n || checkpoint.prev !== expected.prev) report.broken.push(`checkpoint #${checkpoint.n} does not follow ${previous ? `#${previous.n}` : 'the start'} (a checkpoint was removed, reordered or inserted)`);
    good.push(checkpoint);
    previous = checkpoint;
  });
  if (!good.length) {
    if (valid.length) report.unproven.push(`no signed checkpoint covers any of the ${valid.length} records (a log from before checkpoints, or a checkpoint store that was emptied)`);
    return report;
  }
  const newest = good.reduce((best, checkpoint) => (checkpoint.seq >= best.seq ? checkpoint : best));
  report.newest = newest;

  // Records removed from the start: only a signed prune, past the retention period, explains it.
  const prunes = good.filter((checkpoint) => checkpoint.kind === 'prune' && checkpoint.prune);
  for (const statement of prunes) {
    const prune = statement.prune!;
    const limit = Date.parse(statement.time) - Math.max(365, options.retentionDays) * DAY_MS;
    if (Date.parse(prune.before) > limit + GRACE_MS) report.broken.push(`prune #${statement.n} (${statement.time}) removed records dated up to ${prune.before}, inside the ${Math.max(365, options.retentionDays)}-day retention period`);
    const written = good.find((checkpoint) => checkpoint.seq < prune.toSeq && checkpoint.seq > 0 && Date.parse(checkpoint.time) > Date.parse(prune.before) + GRACE_MS);
    if (written) report.broken.push(`prune #${statement.n} removed records up to ${prune.toSeq}, but checkpoint #${written.n} shows record ${written.seq + 1} onward written after its cut-off ${prune.before}`);
  }
  if (first && first.seq > 1) {
    const explained = prunes.find((statement) => statement.prune!.toSeq === first.seq - 1 && statement.prune!.lastHash === first.prevHash);
    if (explained) report.notes.push(`records 1..${first.seq - 1} removed by retention (signed prune #${explained.n}, ${explained.time}: ${explained.prune!.reason}, by ${explained.prune!.user})`);
    else {
      const age = (now - Date.parse(first.time)) / DAY_MS;
      report.broken.push(`records ${prunes.length ? '' : '1'}..${first.seq - 1} are missing: the log starts at record ${first.seq} and no signed prune statement removed them${age < options.retentionDays ? ` (its oldest record, ${first.time}, is inside the ${options.retentionDays}-day retention period)` : ''}`);
    }
  }

  // Every checkpoint against the record it names.
  const pruned = Math.max(0, ...prunes.map((statement) => statement.prune!.toSeq));
  for (const checkpoint of good) {
    if (checkpoint.seq === 0) continue;
    const record = bySeq.get(checkpoint.seq);
    if (record) {
      if (record.hash !== checkpoint.hash) report.broken.push(`record ${checkpoint.seq} is not the one signed in checkpoint #${checkpoint.n} (${checkpoint.time}): records up to ${checkpoint.seq} were changed, inserted or removed and the hashes recomputed`);
    } else if (report.lastSeq === null || checkpoint.seq > report.lastSeq) {
      if (checkpoint === newest) report.broken.push(`the log ends at record ${report.lastSeq ?? 0}, but checkpoint #${checkpoint.n} (${checkpoint.time}) signed record ${checkpoint.seq}: records ${(report.lastSeq ?? 0) + 1}..${checkpoint.seq} were removed`);
    } else if (checkpoint.seq > pruned && (!first || checkpoint.seq >= first.seq)) {
      report.broken.push(`record ${checkpoint.seq}, signed in checkpoint #${checkpoint.n}, is not in the log`);
    }
  }

  // Every record anchored within the interval of being written; the tail younger than that.
  const bySeqOrder = [...good].sort((a, b) => a.seq - b.seq || a.n - b.n);
  const late: AuditRecord[] = [];
  let index = 0;
  for (const record of valid) {
    while (index < bySeqOrder.length && bySeqOrder[index].seq < record.seq) index += 1;
    const anchor = bySeqOrder[index];
    const anchoredAt = anchor ? Date.parse(anchor.time) : now;
    if (Date.parse(record.time) < anchoredAt - options.intervalMs - GRACE_MS) late.push(record);
  }
  if (late.length) {
    const ranges = runs(late.map((record) => record.seq));
    report.unproven.push(`records ${ranges} went more than ${Math.round((options.intervalMs + GRACE_MS) / 1000)} s without a signed checkpoint: appended outside a gateway, or written by one killed before its checkpoint (compare them with other sources)`);
  }
  const tail = valid.filter((record) => record.seq > newest.seq && !late.includes(record));
  if (tail.length) report.notes.push(`records ${runs(tail.map((record) => record.seq))} are newer than the newest checkpoint #${newest.n} (written in the last ${Math.round((options.intervalMs + GRACE_MS) / 1000)} s; the next checkpoint covers them)`);
  return report;
}

/** True when nothing is broken and every record is vouched for. */
export function reportOk(report: VerifyReport): boolean {
  return report.broken.length === 0 && report.unproven.length === 0;
}

// Private: torn writes, set aside (a record says so) or still at the end (the store sets it aside on its next start).
function tornWrites(inspection: AuditInspection, records: AuditRecord[], report: VerifyReport): void {
  for (const record of records.filter((candidate) => candidate.event === 'torn-write')) {
    const sideFile = (record.variables as { sideFile?: string } | null)?.sideFile;
    if (sideFile && inspection.sideFiles.length && !inspection.sideFiles.includes(sideFile)) report.broken.push(`record ${record.seq} says a torn write was set aside in ${sideFile}, but that file is gone`);
    else report.notes.push(`${record.reason} (record ${record.seq}, ${record.time})`);
  }
  if (inspection.tornTail) report.notes.push(`torn write at the end of the log: ${inspection.tornTail.bytes} byte(s) after record ${records.at(-1)?.seq ?? 0} are half a record (a crash mid-write); the store sets them aside in a side file on its next write`);
}

// Private: 3,4,5,9 → "3..5, 9".
function runs(seqs: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < seqs.length;) {
    let j = i;
    while (j + 1 < seqs.length && seqs[j + 1] === seqs[j] + 1) j += 1;
    parts.push(i === j ? `${seqs[i]}` : `${seqs[i]}..${seqs[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}
