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

const view = (ori: string, sids: string[], event: AuditEntry['event'] = 'operation'): AuditEntry => ({
  event, time: new Date().toISOString(), requestId: `r-${ori}-${sids.join()}`, user: 'u', ori, roles: ['law-enforcement'], purpose: 'C',
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

  it('names every agency shown the person, reading only what was appended since the last read', async () => {
    const reads: (AuditCursor | undefined)[] = [];
    const counting: AuditStore = { ...store, readSince: (cursor) => { reads.push(cursor); return store.readSince(cursor); } };
    const recipients = auditRecipients(counting);
    await store.append(view('CT0064200', ['000100007']));
    await store.append(view('CT0000000', ['000100007'], 'statistical')); // a research run is no disclosure to notice
    await store.append(view(SERVICE_ORI, ['000100007'])); // nor the agencies' own service reads
    assert.deepEqual(await recipients('000100007'), ['CT0064200']);
    // Shown to a second agency afterwards: an erasure committed now reads on from the cursor.
    await store.append(view('CT0015100', ['000100007', '000100015']));
    assert.deepEqual(await recipients('000100007', Date.now()), ['CT0015100', 'CT0064200']);
    assert.deepEqual(await recipients('000100015', 0), ['CT0015100'], 'an erasure older than the last read uses the index as it is');
    assert.equal(reads.length, 2);
    assert.equal(reads[0], undefined, 'the first read is the whole log');
    assert.ok(reads[1] && reads[1].seq > 0, 'the second reads on from where the first left off');
  });
});
