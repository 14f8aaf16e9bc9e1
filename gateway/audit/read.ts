// Reading the audit log: verify the chain and its checkpoints, list who viewed an offender,
// prune by retention. Every read is itself written to the log (CJIS AU-9: access to audit
// information is audited), as event "audit-read" with the reader's name.
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import type { AuditEntry, AuditRecord } from './record.ts';
import type { AuditStore } from './store.ts';
import { reportOk, verifyInspection, type VerifyOptions, type VerifyReport } from './verify.ts';

/** Who reads the log: `--user`, else the operating-system account. */
export function reader(user?: string): string {
  return user || `os:${os.userInfo().username}`;
}

export type { VerifyReport };

/** Checks the chain and the checkpoints, then records that it was checked. */
export async function verifyLog(store: AuditStore, user: string, options: VerifyOptions = { trusted: null, retentionDays: 365, intervalMs: 60_000 }): Promise<VerifyReport> {
  const report = verifyInspection(await store.inspect(), options);
  const summary = reportOk(report) ? null : [...report.broken, ...report.unproven].slice(0, 3).join('; ').slice(0, 500);
  await store.append(readEntry(user, 'verify', {}, summary ? 'error' : 'ok', summary));
  return report;
}

/** Operations that disclosed `sid`, oldest first, then records that someone asked. */
export async function whoViewed(store: AuditStore, sid: string, user: string): Promise<AuditRecord[]> {
  const records = (await store.readAll()).filter((record) => record.event === 'operation' && record.sids?.includes(sid));
  await store.append(readEntry(user, 'who-viewed', { sid }, 'ok', null));
  return records;
}

/** Removes records older than the retention period (never less than 365 days), signing what and why, then records it. */
export async function pruneLog(store: AuditStore, retentionDays: number, user: string, now = new Date(), reason = `retention: records older than ${retentionDays} days (CJIS AU-11)`): Promise<number> {
  if (retentionDays < 365) throw new Error(`retention ${retentionDays} days is too short; CJIS AU-11 keeps audit records at least 365 days`);
  const removed = await store.prune({ before: new Date(now.getTime() - retentionDays * 86_400_000), retentionDays, reason, user });
  await store.append(readEntry(user, 'prune', { retentionDays, removed }, 'ok', null));
  return removed;
}

export function readEntry(user: string, operationName: string, variables: Record<string, unknown>, outcome: 'ok' | 'error', reason: string | null): AuditEntry {
  return {
    event: 'audit-read', time: new Date().toISOString(), requestId: randomUUID(), user, ori: null, roles: [], purpose: null,
    operationName, documentHash: null, variables, subgraphs: [], sids: [], outcome, reason, clientAddress: 'local',
  };
}
