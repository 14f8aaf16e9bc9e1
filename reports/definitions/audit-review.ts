// audit-review: the CJIS AU-6 weekly review of the OBTS audit log over a period —
// operations by user, ORI, purpose and outcome; refusals by reason; users who viewed
// unusually many distinct offenders. Reads the audit store the gateway writes (as `npm run
// audit` does, AUDIT_DATABASE_URL or the log file), only for a caller whose roles grant
// audit:read, and records the read in the log itself (AU-9).
import { randomUUID } from 'node:crypto';
import { auditSettings } from '../../gateway/config.ts';
import { openAuditStore } from '../../gateway/audit/store.ts';
import { permissionsFor } from '../../gateway/auth/policy.ts';
import type { ReportDefinition, Row } from '../types.ts';

/** A user "viewed unusually many" offenders above max(25, 3 × the median of users who viewed any). */
export const HEAVY_VIEWER_FLOOR = 25;

const blank: Row = { user: null, ori: null, purpose: null, outcome: null, reason: null, distinct_offenders: null, count: null };

export const auditReviewReport: ReportDefinition = {
  name: 'audit-review',
  title: 'Audit review (CJIS AU-6)',
  summary: 'audit log from --from to --to: operations by user, ORI, purpose, outcome; refusals by reason; heavy viewers (needs audit:read)',
  kind: 'query',
  dates: 'period',
  maxPeriodDays: 366,
  columns: [
    { key: 'section', title: 'Section', kind: 'text' },
    { key: 'user', title: 'User', kind: 'text' },
    { key: 'ori', title: 'ORI', kind: 'text' },
    { key: 'purpose', title: 'Purpose', kind: 'text' },
    { key: 'outcome', title: 'Outcome', kind: 'text' },
    { key: 'reason', title: 'Refusal reason', kind: 'text' },
    { key: 'distinct_offenders', title: 'Distinct offenders viewed', kind: 'number' },
    { key: 'count', title: 'Requests', kind: 'number' },
  ],
  charts: { operations: { label: 'user', value: 'count' }, refusals: { label: 'reason', value: 'count' } },
  async *run(context) {
    const { from, to } = context.options;
    const identity = context.identity ?? { user: 'unknown', roles: [] };
    if (!permissionsFor(identity.roles.filter((role) => role !== '')).includes('audit:read')) {
      context.note('the audit log withheld: your roles do not grant audit:read (auditors have it); the report has no rows');
      return;
    }
    const store = await openAuditStore(auditSettings(context.env));
    let records;
    try {
      records = (await store.readAll()).filter((record) => record.time.slice(0, 10) >= from! && record.time.slice(0, 10) <= to!);
      await store.append({
        event: 'audit-read', time: new Date().toISOString(), requestId: randomUUID(), user: identity.user, ori: null, roles: identity.roles, purpose: null,
        operationName: 'audit-review', documentHash: null, variables: { from, to }, subgraphs: [], sids: [], outcome: 'ok', reason: null, clientAddress: 'local',
      });
    } finally {
      await store.close();
    }
    const operations = new Map<string, number>();
    const refusals = new Map<string, number>();
    const viewed = new Map<string, Set<string>>();
    for (const record of records) {
      if (record.event === 'audit-read') continue;
      const key = JSON.stringify([record.user ?? '(no user)', record.ori ?? '', record.purpose ?? '', record.outcome]);
      operations.set(key, (operations.get(key) ?? 0) + 1);
      if (record.outcome === 'refused' || record.event === 'refused') refusals.set(record.reason ?? '(none)', (refusals.get(record.reason ?? '(none)') ?? 0) + 1);
      if (record.user && record.sids?.length) {
        const set = viewed.get(record.user) ?? new Set<string>();
        for (const sid of record.sids) set.add(sid);
        viewed.set(record.user, set);
      }
    }
    for (const [key, count] of [...operations].sort()) {
      const [user, ori, purpose, outcome] = JSON.parse(key) as string[];
      yield { section: 'operations', ...blank, user, ori, purpose, outcome, count };
    }
    for (const [reason, count] of [...refusals].sort()) yield { section: 'refusals', ...blank, reason, count };
    const sizes = [...viewed.values()].map((set) => set.size).sort((a, b) => a - b);
    const median = sizes.length ? (sizes.length % 2 ? sizes[(sizes.length - 1) / 2] : (sizes[sizes.length / 2 - 1] + sizes[sizes.length / 2]) / 2) : 0;
    const threshold = Math.max(HEAVY_VIEWER_FLOOR, 3 * median);
    for (const [user, set] of [...viewed].sort(([a], [b]) => (a < b ? -1 : 1))) if (set.size > threshold) yield { section: 'heavy viewers', ...blank, user, distinct_offenders: set.size };
    context.note(`heavy viewers: more than ${threshold} distinct offenders (the larger of ${HEAVY_VIEWER_FLOOR} and 3 × the median ${median} of the ${sizes.length} users who viewed any); accesses to restricted fields appear as refusals with reason FORBIDDEN (an audit record does not list the fields answered)`);
  },
};
