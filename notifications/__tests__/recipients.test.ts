// Who is noticed of an erasure (C.G.S. 54-142c): the agencies whose users were shown the
// person, from the audit log's operation records. The index is read once and then only
// from where it left off, so an erasure does not cost a read of the whole log.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openFileAuditStore } from '../../gateway/audit/file-store.ts';
import type { AuditEntry } from '../../gateway/audit/record.ts';
import type { AuditCursor, AuditStore } from '../../gateway/audit/store.ts';
import { SERVICE_ORI } from '../../subgraphs/shared/events/service-token.ts';
import { auditRecipients } from '../index.ts';

const view = (ori: string, sids: string[], event: AuditEntry['event'] = 'operation', time = new Date().toISOString()): AuditEntry => ({
  event, time, requestId: `r-${ori}-${sids.join()}`, user: 'u', ori, roles: ['law-enforcement'], purpose: 'C',
  operationName: 'Profile', documentHash: 'a'.repeat(64), variables: {}, subgraphs: ['judicial'], sids, outcome: 'ok', reason: null, clientAddress: '127.0.0.1',
});

describe('erasure notice recipients from the audit log', () => {
  let dir: string;
  let store: AuditStore;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'obts-recipients-'));
    store = await openFileAuditStore(path.join(dir, 'audit.jsonl'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('names every agency shown the person, reading on each lookup only what was appended since the last', async () => {
    const reads: { cursor: AuditCursor | undefined; records: number }[] = [];
    const counting: AuditStore = { ...store, readSince: async (cursor) => { const since = await store.readSince(cursor); reads.push({ cursor, records: since.records.length }); return since; } };
    const recipients = auditRecipients(counting);
    await store.append(view('CT0064200', ['000100007']));
    await store.append(view('CT0000000', ['000100007'], 'statistical')); // a research run is no disclosure to notice
    await store.append(view(SERVICE_ORI, ['000100007'])); // nor the agencies' own service reads
    assert.deepEqual(await recipients('000100007'), ['CT0064200']);
    // Shown to a second agency a moment later: the next lookup reads on from the cursor.
    await store.append(view('CT0015100', ['000100007', '000100015']));
    assert.deepEqual(await recipients('000100007', Date.now() + 1000), ['CT0015100', 'CT0064200']);
    assert.deepEqual(await recipients('000100015'), ['CT0015100']);
    assert.deepEqual(reads.map((read) => read.records), [3, 1, 0], 'the whole log once, then only the new record, then nothing');
    assert.equal(reads[0].cursor, undefined);
    assert.ok(reads[1].cursor && reads[1].cursor.seq > 0 && reads[2].cursor!.seq > reads[1].cursor.seq);
  });

  it('counts the views that arrived by the cutoff, each agency by its first view; a record without an arrival by its time less the budget', async () => {
    const recipients = auditRecipients(store, 15_000);
    const erasedAt = Date.parse('2026-12-03T10:00:00.000Z');
    const at = (ms: number) => new Date(erasedAt + ms).toISOString();
    const arrived = (ori: string, arrival: number, answered: number): AuditEntry => ({ ...view(ori, ['000100007'], 'operation', at(answered)), receivedAt: at(arrival) });
    await store.append(arrived('CT0064200', -60_000, -59_000)); // long before the erasure
    await store.append(arrived('CT0015100', -1000, 14_000)); // under way at the erasure, answered 14 s after it
    await store.append(arrived('CT0099900', 2000, 2500)); // arrived after it: the guard gave it nothing of the record
    await store.append(arrived('CT0015100', 200_000, 200_100)); // a later view changes nothing for that agency
    await store.append(view('CT0033300', ['000100007'], 'operation', at(14_000))); // an older record, no arrival: answered 14 s after, may have begun before
    await store.append(view('CT0044400', ['000100007'], 'operation', at(21_000))); // answered past the 15 s budget and the 5 s for the clocks: began after
    assert.deepEqual(await recipients('000100007', erasedAt), ['CT0015100', 'CT0033300', 'CT0064200']);
    assert.deepEqual(await recipients('000100007', erasedAt + 5000), ['CT0015100', 'CT0033300', 'CT0064200', 'CT0099900'], 'with 5 s for the clocks: the view 2 s after counts');
    assert.deepEqual(await recipients('000100007'), ['CT0015100', 'CT0033300', 'CT0044400', 'CT0064200', 'CT0099900'], 'without a cutoff: every view');
    assert.deepEqual(await recipients('000100999', erasedAt), [], 'a person nobody was shown');
  });
});
