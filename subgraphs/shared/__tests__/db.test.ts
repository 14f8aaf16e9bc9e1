// Statement counting at the driver, on every engine the stores run on.
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { countStatements, engineOf, openDatabase, redactUrl, type Database } from '../db.ts';
import { freshMysqlDatabase, freshPostgresDatabase } from '../../../test/support/databases.ts';

const engines: Array<[string, () => Promise<{ url?: string; pgliteDir?: string }>]> = [
  ['PGlite', async () => ({ pgliteDir: 'memory' })],
  ['PostgreSQL', async () => ({ url: await freshPostgresDatabase('shared_db') })],
  ['MariaDB', async () => ({ url: await freshMysqlDatabase('shared_db') })],
];

for (const [label, location] of engines) {
  describe(`openDatabase on ${label}`, () => {
    let database: Database<any>;
    before(async () => {
      database = await openDatabase(await location());
    });
    after(async () => {
      await database?.close();
    });

    it('counts every statement the driver runs, also inside a transaction, and per scope', async () => {
      const before = database.counter.total;
      const { result, statements } = await countStatements(async () => {
        await sql`select 1 as one`.execute(database.db);
        await database.db.transaction().execute(async (trx) => {
          await sql`select 2 as two`.execute(trx);
        });
        return 'done';
      });
      assert.equal(result, 'done');
      assert.equal(statements, 2);
      assert.equal(database.counter.total - before, 2);
    });

    it('returns dates as YYYY-MM-DD text and counts as numbers', async () => {
      const { rows } = await sql<{ d: string; n: number }>`select cast('2024-02-29' as date) as d, count(*) as n from (select 1 as x) t`.execute(database.db);
      assert.deepEqual({ ...rows[0] }, { d: '2024-02-29', n: 1 });
    });
  });
}

describe('database URLs', () => {
  it('names the engine, refuses an unknown scheme, and hides passwords in logs', () => {
    assert.equal(engineOf('postgres://u@h/db'), 'postgres');
    assert.equal(engineOf('mariadb://u@h/db'), 'mysql');
    assert.throws(() => engineOf('oracle://u:secret@h/db'), (error: Error) => /expected postgres:\/\/… or mysql:\/\/…/.test(error.message) && !error.message.includes('secret'));
    assert.equal(redactUrl('mysql://root:secret@127.0.0.1:3306/x'), 'mysql://root:***@127.0.0.1:3306/x');
  });
});
