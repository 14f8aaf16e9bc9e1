// GET /ready for load balancers and orchestrators: ready, degraded or not ready.
//
// One agency down must not take the gateway out of rotation: its fields fail, named, and
// the other agencies' data still flows (DESIGN.md, Reliability). So:
// - ready (200): every subgraph answers its own /ready and the audit store is usable;
// - degraded (200): at least one agency answers, some do not; the body names them, their
//   agency and source systems, so an operator sees what is missing;
// - not ready (503): no agency subgraph answers, or the audit store is unusable (without an
//   audit record no data may leave: CJIS AU-9, so there is nothing to serve).
// Every probe has a deadline: /ready answers within about `timeoutMs` whatever hangs.
import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import { AGENCY_SUBGRAPHS, SUBGRAPHS, type SubgraphEntry } from '../../schema/subgraphs.ts';
import type { AuditSettings, AuditStore } from '../audit/store.ts';
import { withDeadline } from '../../subgraphs/shared/pools.ts';

export type Readiness = 'ready' | 'degraded' | 'unavailable';

export interface ReadyReport {
  status: Readiness;
  subgraphs: Record<string, 'ready' | 'unavailable'>;
  /** What is missing while degraded or unavailable: agency and source systems. */
  unavailable: { subgraph: string; agency: string; systems: string[] }[];
  audit: 'ready' | 'unavailable';
}

/** Checks every subgraph and the audit store; `httpStatus` is 200 for ready and degraded, 503 otherwise. */
export async function checkReadiness(subgraphUrls: Record<string, string>, audit: AuditStore, settings: AuditSettings, timeoutMs = 2000): Promise<{ httpStatus: number; report: ReadyReport }> {
  const [checks, auditOk] = await Promise.all([
    Promise.all(Object.entries(subgraphUrls).map(async ([name, url]) => [name, await subgraphReady(url, timeoutMs)] as const)),
    auditUsable(audit, settings, timeoutMs),
  ]);
  const down = checks.filter(([, ok]) => !ok).map(([name]) => name);
  const entry = (name: string): SubgraphEntry | undefined => SUBGRAPHS.find((candidate) => candidate.name === name);
  const agencyUp = checks.some(([name, ok]) => ok && AGENCY_SUBGRAPHS.some((agency) => agency.name === name));
  const status: Readiness = !auditOk || !agencyUp ? 'unavailable' : down.length ? 'degraded' : 'ready';
  return {
    httpStatus: status === 'unavailable' ? 503 : 200,
    report: {
      status,
      subgraphs: Object.fromEntries(checks.map(([name, ok]) => [name, ok ? 'ready' : 'unavailable'])),
      unavailable: down.map((name) => ({ subgraph: name, agency: entry(name)?.agency ?? name, systems: entry(name)?.systems ?? [] })),
      audit: auditOk ? 'ready' : 'unavailable',
    },
  };
}

async function subgraphReady(graphqlUrl: string, timeoutMs: number): Promise<boolean> {
  try {
    const response = await fetch(graphqlUrl.replace(/\/graphql$/, '/ready'), { signal: AbortSignal.timeout(timeoutMs) });
    return response.ok;
  } catch {
    return false;
  }
}

// Private: the store's own ping when it has one (PostgreSQL), else the embedded log's folder is writable.
async function auditUsable(audit: AuditStore, settings: AuditSettings, timeoutMs: number): Promise<boolean> {
  try {
    if (audit.ping) await withDeadline(audit.ping(), timeoutMs, 'the audit store');
    else if (!settings.databaseUrl) await access(path.dirname(settings.file), constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
