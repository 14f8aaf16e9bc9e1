// The change log on every engine: a change written straight into an agency database with
// SQL (by another client, not through OBTS) produces its event, in the same transaction:
// a rolled-back change produces none. PGlite, PostgreSQL and MariaDB.
import assert from 'node:assert/strict';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { sql } from 'kysely';
import { generateStories } from '../../../../seed/generate.ts';
import type { OffenderStory } from '../../../../seed/story.ts';
import { openJudicialStore } from '../../../judicial/store/index.ts';
import { openPublicSafetyStore } from '../../../public-safety/store/index.ts';
import { openCorrectionStore } from '../../../correction/store/index.ts';
import type { AgencyStore } from '../../module.ts';
import { latestSequence, readChanges } from '../feed.ts';
import { freshMysqlDatabase, freshPostgresDatabase } from '../../../../test/support/databases.ts';

const stories = generateStories({ offenders: 150, seed: 11 });
const withWarrant = stories.find((s) => s.warrants.some((w) => w.status === 'active' && !s.cases.find((c) => c.docketNumber === w.docketNumber)?.erased))!;
const warrant = withWarrant.warrants.find((w) => w.status === 'active')!;
const openCase = stories.flatMap((s) => s.cases.filter((c) => !c.erased).map((c) => ({ s, c })))[0];
const inCustody = stories.find((s) => s.custodies.some((c) => c.releaseDate === null))!;
const custody = inCustody.custodies.find((c) => c.releaseDate === null)!;

/** Runs `statement` with a client of its own (another application), or on the PGlite instance. */
type RawSql = (statement: string) => Promise<void>;

async function rawClient(store: AgencyStore, url?: string): Promise<{ run: RawSql; close(): Promise<void> }> {
  if (!url) return { run: async (statement) => { await sql.raw(statement).execute(store.database.db); }, close: async () => {} };
  if (url.startsWith('mysql')) {
    const connection = await mysql.createConnection({ uri: url });
    return { run: async (statement) => { await connection.query(statement); }, close: () => connection.end() };
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return { run: async (statement) => { await client.query(statement); }, close: () => client.end() };
}

async function eventsAfter(store: AgencyStore, feed: string, after: number) {
  return (await readChanges(store.database.db, feed, after, 500, [], Date.now() + 60_000)).events;
}

for (const engine of ['pglite', 'servers'] as const) {
  describe(`agency change logs (${engine})`, function () {
    this.timeout(300_000); // PGlite seeds slowly on a shared machine
    const opened: Array<{ store: AgencyStore; close(): Promise<void> }> = [];
    after(async () => {
      for (const item of opened) await item.close();
    });
    async function open(open: (location: any) => Promise<AgencyStore>, name: string, kind: 'pg' | 'mysql'): Promise<{ store: AgencyStore; run: RawSql }> {
      const url = engine === 'pglite' ? undefined : kind === 'mysql' ? await freshMysqlDatabase(`events_${name}`) : await freshPostgresDatabase(`events_${name}`);
      const store = await open(url ? { url } : { pgliteDir: 'memory' });
      await store.seed(stories as OffenderStory[]);
      const client = await rawClient(store, url);
      opened.push({ store, close: async () => { await client.close(); await store.close(); } });
      return { store, run: client.run };
    }

    it('judicial: a warrant served and a case erased by SQL are events; a rolled-back change is none', async () => {
      const { store, run } = await open(openJudicialStore, 'judicial', 'pg');
      const before = await latestSequence(store.database.db);
      assert.ok(before > 0, 'seeding wrote arraignment, warrant and other events');
      await run(`UPDATE prawn.wrnt SET wrnt_stat_cd = 'S', clsd_dt = DATE '2026-11-20' WHERE wrnt_no = '${warrant.warrantNumber}'`);
      const stored = openCase.c.docketNumber.replace(/-/g, '');
      await run(`UPDATE ccms.crim_case SET erase_flg = 'Y' WHERE dkt_no = '${stored}'`);
      await run('BEGIN').catch(() => undefined);
      await run(`UPDATE prawn.wrnt SET wrnt_stat_cd = 'V' WHERE wrnt_no = '${warrant.warrantNumber}'`);
      await run('ROLLBACK');
      const events = await eventsAfter(store, 'judicial', before);
      assert.deepEqual(events.map((e) => [e.system, e.kind, e.key, e.sid, e.docketNumber]), [
        ['PRAWN', 'WARRANT_SERVED', warrant.warrantNumber, withWarrant.person.sid, warrant.docketNumber],
        ['CCMS', 'ERASURE', openCase.c.docketNumber, openCase.s.person.sid, openCase.c.docketNumber],
      ]);
      assert.ok(events.every((e) => e.sequence > before && /^\d{4}-\d{2}-\d{2}T/.test(e.time)));
    });

    it('public-safety: an arrest inserted by SQL is an event (MariaDB on the servers)', async () => {
      const { store, run } = await open(openPublicSafetyStore, 'dps', 'mysql');
      const before = await latestSequence(store.database.db);
      const sid = stories[0].person.sid;
      const q = (name: string) => (store.database.engine === 'mysql' ? name : `"${name}"`);
      await run(`INSERT INTO ${q('CCH_ARREST')} (${['OTN', 'SID', 'ARR_DT', 'ARR_ORI', 'ARR_AGCY', 'DKT_NO', 'ERASED_IND'].map(q).join(', ')}) VALUES ('CT2699999901', '${sid}', '20261120', 'CT0064200', 'NEW HAVEN PD', NULL, 'N')`);
      const events = await eventsAfter(store, 'public-safety', before);
      assert.deepEqual(events.map((e) => [e.system, e.kind, e.key, e.sid, e.docketNumber]), [['MNI/CCH', 'ARREST', 'CT2699999901', sid, null]]);
    });

    it('correction: a release written by SQL is an event', async () => {
      const { store, run } = await open(openCorrectionStore, 'doc', 'pg');
      const before = await latestSequence(store.database.db);
      await run(`UPDATE omis_adm SET rel_dt = DATE '2026-11-20', rel_typ_cd = 'EOS', inmt_stat_cd = 'RL' WHERE inmt_no = '${custody.inmateNumber}' AND rel_dt IS NULL`);
      const events = await eventsAfter(store, 'correction', before);
      assert.deepEqual(events.map((e) => [e.system, e.kind, e.sid, e.docketNumber]), [['OMIS', 'RELEASE', inCustody.person.sid, custody.docketNumber]]);
      assert.match(events[0].key, new RegExp(`^${custody.inmateNumber}-\\d+$`));
    });
  });
}
