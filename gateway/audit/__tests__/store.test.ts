// Both audit stores against real engines: the JSON-lines file (fsync'd) and a real
// PostgreSQL server. Same expectations for each: a chained, verifiable log; concurrent
// writers do not fork the chain; a changed record is named by verify; retention prunes.
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freshPostgresDatabase } from '../../../test/support/databases.ts';
import { openFileAuditStore } from '../file-store.ts';
import { openPostgresAuditStore } from '../postgres-store.ts';
import { loadCheckpointKey } from '../checkpoint.ts';
import { openFileCheckpointStore } from '../checkpoint-file.ts';
import { openPostgresCheckpointStore } from '../checkpoint-postgres.ts';
import { GENESIS_HASH, verifyChain, type AuditEntry } from '../record.ts';
import { pruneLog, verifyLog, whoViewed } from '../read.ts';
import type { AuditStore } from '../store.ts';

const entry = (n: number, overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  event: 'operation', time: new Date(Date.UTC(2026, 10, 1, 12, 0, 0, n)).toISOString(), requestId: `r${n}`, user: `user${n % 3}`, ori: 'CT0064200',
  roles: ['law-enforcement'], purpose: 'C', operationName: 'Profile', documentHash: 'a'.repeat(64), variables: { sid: '000100007' },
  subgraphs: ['public-safety'], sids: [n % 2 ? '000100007' : '000100015'], outcome: 'ok', reason: null, clientAddress: '127.0.0.1', ...overrides,
});

for (const engine of ['file', 'postgres'] as const) {
  describe(`audit store: ${engine}`, () => {
    let store: AuditStore;
    let dir: string;
    let url = '';
    beforeEach(async () => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'obts-audit-'));
      const key = loadCheckpointKey(path.join(dir, 'keys', 'checkpoint.pem'));
      if (engine === 'file') {
        store = await openFileAuditStore(path.join(dir, 'audit.jsonl'), { checkpoints: { store: await openFileCheckpointStore(path.join(dir, 'checkpoints.jsonl'), key), every: 100, intervalMs: 60_000 } });
      } else {
        url = await freshPostgresDatabase('audit_store');
        store = await openPostgresAuditStore(url, { checkpoints: { store: await openPostgresCheckpointStore(url, key), every: 100, intervalMs: 60_000 } });
      }
    });
    afterEach(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('chains records, also when many are appended at once', async () => {
      await Promise.all(Array.from({ length: 25 }, (_, n) => store.append(entry(n))));
      const records = await store.readAll();
      assert.deepEqual(records.map((record) => record.seq), Array.from({ length: 25 }, (_, n) => n + 1));
      assert.equal(records[0].prevHash, GENESIS_HASH);
      assert.equal(records[7].prevHash, records[6].hash);
      assert.deepEqual(verifyChain(records), { count: 25, firstSeq: 1, broken: null });
    });

    it('lists who viewed an offender, and audits that read and every verify', async () => {
      for (let n = 0; n < 6; n += 1) await store.append(entry(n));
      const viewed = await whoViewed(store, '000100007', 'auditor-1');
      assert.deepEqual(viewed.map((record) => [record.user, record.requestId]), [['user1', 'r1'], ['user0', 'r3'], ['user2', 'r5']]);
      const report = await verifyLog(store, 'auditor-1');
      assert.deepEqual([report.chain, report.broken], [null, []]);
      const reads = (await store.readAll()).filter((record) => record.event === 'audit-read');
      assert.deepEqual(reads.map((record) => [record.user, record.operationName, record.variables]), [['auditor-1', 'who-viewed', { sid: '000100007' }], ['auditor-1', 'verify', {}]]);
    });

    it('prunes only records older than the retention period (at least 365 days) and stays verifiable', async () => {
      await store.append(entry(1, { time: '2024-01-01T00:00:00.000Z' }));
      await store.append(entry(2, { time: '2025-06-01T00:00:00.000Z' }));
      await store.append(entry(3, { time: '2026-11-01T00:00:00.000Z' }));
      await assert.rejects(pruneLog(store, 30, 'ops'), /at least 365 days/);
      assert.equal(await pruneLog(store, 365, 'ops', new Date('2026-11-28T00:00:00Z')), 2);
      const records = await store.readAll();
      assert.deepEqual(records.map((record) => record.seq), [3, 4]);
      assert.deepEqual(verifyChain(records), { count: 2, firstSeq: 3, broken: null });
    });

    it('reads on from a cursor: only what was appended since, and from the start of a log retention rewrote', async () => {
      const first = await store.readSince();
      const before = first.records.length; // a start checkpoint's records, if any
      await store.append(entry(1, { time: '2024-01-01T00:00:00.000Z' }));
      await store.append(entry(2, { time: '2025-06-01T00:00:00.000Z' }));
      const second = await store.readSince(first.cursor);
      assert.deepEqual(second.records.map((record) => record.requestId), ['r1', 'r2']);
      assert.deepEqual((await store.readSince(second.cursor)).records, [], 'nothing new, nothing read');
      await store.append(entry(3, { time: '2026-11-01T00:00:00.000Z' }));
      const third = await store.readSince(second.cursor);
      assert.deepEqual(third.records.map((record) => record.requestId), ['r3']);
      assert.equal(third.cursor.seq, third.records[0].seq);
      // Retention removes r1 and r2 (and, for the file, writes the log anew): r3 is not read twice.
      assert.equal(await pruneLog(store, 365, 'ops', new Date('2026-11-28T00:00:00Z')), 2 + before);
      await store.append(entry(4, { time: '2026-11-02T00:00:00.000Z' }));
      const fourth = await store.readSince(third.cursor);
      assert.deepEqual(fourth.records.filter((record) => record.event === 'operation').map((record) => record.requestId), ['r4']);
      assert.deepEqual((await store.readSince()).records.filter((record) => record.event === 'operation').map((record) => record.requestId), ['r3', 'r4'], 'without a cursor: everything');
    });

    if (engine === 'file') it('on a file, misses no record after a torn tail (newline and all) or a log deleted under it', async () => {
      const file = path.join(dir, 'audit.jsonl');
      await store.append(entry(1));
      const first = await store.readSince();
      // A crash mid-write left garbage with a newline in it, and half a line.
      appendFileSync(file, `${'\u0000'.repeat(1500)}\n{"seq":`);
      const torn = await store.readSince(first.cursor);
      assert.deepEqual(torn.records.filter((record) => record.event === 'operation'), [], 'nothing new that is a record');
      assert.equal(torn.cursor.file?.offset, first.cursor.file?.offset, 'the cursor does not pass the torn bytes');
      // The next flush sets the torn bytes aside and writes on from the last record: all of it is read.
      for (const n of [2, 3, 4, 5]) await store.append(entry(n));
      const after = await store.readSince(torn.cursor);
      assert.deepEqual(after.records.map((record) => record.event === 'torn-write' ? 'torn-write' : record.requestId), ['torn-write', 'r2', 'r3', 'r4', 'r5']);
      // The log removed and started again (seq from 1): the new records are read, not skipped as seen.
      unlinkSync(file);
      await store.append(entry(6));
      const again = await store.readSince(after.cursor);
      assert.deepEqual(again.records.filter((record) => record.event === 'operation').map((record) => record.requestId), ['r6']);
    });

    // The file store has no SQL sessions; its protection is the hash chain and verify.
    if (engine === 'postgres') it('on PostgreSQL, lets no session delete a record younger than a year, even with the prune switch on', async () => {
      await store.append(entry(1, { time: new Date().toISOString() }));
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query('BEGIN');
        await client.query("SELECT set_config('obts.audit_prune', 'on', true)");
        await assert.rejects(client.query('DELETE FROM obts_audit'), /only records older than 365 days may be pruned/);
        await client.query('ROLLBACK');
      } finally {
        await client.end();
      }
      assert.equal((await store.readAll()).length, 1);
    });

    it('names the first changed record', async () => {
      for (let n = 0; n < 5; n += 1) await store.append(entry(n));
      if (engine === 'file') {
        const file = path.join(dir, 'audit.jsonl');
        writeFileSync(file, readFileSync(file, 'utf8').replace('"user":"user0"', '"user":"someone-else"')); // record 1
      } else {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          // The table refuses UPDATE; a tamperer with owner rights disables the trigger first.
          await assert.rejects(client.query(`UPDATE obts_audit SET record = jsonb_set(record, '{user}', '"someone-else"') WHERE seq = 3`), /append-only/);
          await client.query('ALTER TABLE obts_audit DISABLE TRIGGER obts_audit_append_only');
          await client.query(`UPDATE obts_audit SET record = jsonb_set(record, '{user}', '"someone-else"') WHERE seq = 3`);
        } finally {
          await client.end();
        }
      }
      const broken = verifyChain(await store.readAll()).broken;
      assert.deepEqual(broken && { seq: broken.seq, problem: broken.problem }, { seq: engine === 'file' ? 1 : 3, problem: 'hash does not match the record content (the record was changed)' });
    });
  });
}
