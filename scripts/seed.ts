// npm run seed -- --offenders N --seed S [--keep] [--as-of YYYY-MM-DD]
// Generates N synthetic offenders and writes every agency store (each at its configured
// database, or embedded PGlite under OBTS_DATA_DIR). Existing rows are removed first
// unless --keep is given. Refuses while `npm start` runs on the same stores (scripts/run-lock.ts).
import { sql } from 'kysely';
import { openAllStores } from '../subgraphs/index.ts';
import { seedStores } from '../seed/run.ts';
import { dataDir } from '../schema/subgraphs.ts';
import { acquireRunLock, storeNames } from './run-lock.ts';
import { runCli, UsageError, wholeNumber, defineCli } from './cli.ts';

const spec = defineCli({
  command: 'seed',
  summary: 'Writes a deterministic synthetic population into every agency store (replacing what is there), the same for a seed on every engine.',
  options: {
    offenders: { type: 'string', value: 'N', help: 'how many offenders to generate, 1 to 2000000 (default 10000)' },
    seed: { type: 'string', value: 'S', help: 'random seed: same seed, same data (default 1)' },
    keep: { type: 'boolean', help: 'keep what the stores hold; batches a store already holds are skipped, so the same command resumes an interrupted seed' },
    'as-of': { type: 'string', value: 'YYYY-MM-DD', help: 'the "today" of the generated histories (default: today)' },
  },
  notes: [
    'Stores: PUBLIC_SAFETY_DATABASE_URL, JUDICIAL_DATABASE_URL, CORRECTION_DATABASE_URL (unset: embedded PGlite under OBTS_DATA_DIR, default .data).',
    'Stop `npm start` first: the seed refuses while the system runs on the same stores.',
  ],
  examples: ['npm run seed -- --offenders 10000 --seed 1', 'npm run seed -- --offenders 100000 --seed 7 --as-of 2026-06-30'],
});

await runCli(spec, async (values) => {
  const offenders = wholeNumber(values.offenders, 'offenders', 10_000, 1, 2_000_000);
  const seed = wholeNumber(values.seed, 'seed', 1, 1, 2 ** 31 - 1);
  const asOf = values['as-of'];
  if (asOf !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(`${asOf}T00:00:00Z`)))) {
    throw new UsageError(`--as-of "${asOf}" is not a date; expected YYYY-MM-DD, e.g. 2026-06-30`);
  }
  let lock;
  try {
    lock = acquireRunLock(dataDir(), 'npm run seed', storeNames());
  } catch (error) {
    console.error(`seed: ${(error as Error).message}`);
    return 1;
  }
  try {
    const stores = await openAllStores();
    try {
      if (!values.keep) for (const store of Object.values(stores)) await store.clear();
      const began = performance.now();
      const spent = await seedStores(stores, {
        offenders, seed, asOf, skipExisting: values.keep,
        onProgress: (done, total) => process.stdout.write(process.stdout.isTTY ? `\rseeded ${done} / ${total} offenders` : `seeded ${done} / ${total} offenders\n`),
      });
      if (process.stdout.isTTY) process.stdout.write('\n');
      // Fresh planner statistics: PostgreSQL's autovacuum may not have analysed bulk-loaded
      // tables yet (measured at ~770 000 offenders: cases by SID took a sequential scan, 1.1 s,
      // until ANALYZE; 0.3 ms after). InnoDB recalculates its statistics by itself.
      // Without the sessions' statement timeout (DATABASE_STATEMENT_TIMEOUT_MS, 15 s by
      // default): ANALYZE of a million-offender judicial store takes longer than that.
      for (const store of Object.values(stores)) {
        if (store.database.engine === 'mysql') continue;
        await store.database.db.transaction().execute(async (trx) => {
          await sql`set local statement_timeout = 0`.execute(trx);
          await sql`analyze`.execute(trx);
        });
      }
      for (const [name, ms] of Object.entries(spent)) console.log(`${name.padEnd(14)} ${stores[name].database.describe.padEnd(40)} ${(ms / 1000).toFixed(1)} s`);
      const seconds = (performance.now() - began) / 1000;
      console.log(`total ${seconds.toFixed(1)} s for ${offenders} offenders (seed ${seed}), ${Math.round(offenders / seconds)} offenders/s`);
    } finally {
      for (const store of Object.values(stores)) await store.close();
    }
  } finally {
    lock.release();
  }
});
