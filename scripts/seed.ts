// npm run seed -- --offenders N --seed S [--keep]
// Generates N synthetic offenders and writes every agency store (each at its configured
// database, or embedded PGlite under OBTS_DATA_DIR). Existing rows are removed first
// unless --keep is given; with --keep, batches a store already holds are skipped, so the
// same command resumes an interrupted seed. Stop `npm start` first: an embedded store has
// one writer.
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { openAllStores } from '../subgraphs/index.ts';
import { seedStores } from '../seed/run.ts';

function wholeNumber(value: string | undefined, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    console.error(`--${name} "${value}" is not valid; expected a whole number from 1 to ${max}`);
    process.exit(2);
  }
  return n;
}

const { values } = parseArgs({
  options: { offenders: { type: 'string' }, seed: { type: 'string' }, keep: { type: 'boolean', default: false }, 'as-of': { type: 'string' } },
  strict: true,
});
const offenders = wholeNumber(values.offenders, 'offenders', 10_000, 2_000_000);
const seed = wholeNumber(values.seed, 'seed', 1, 2 ** 31 - 1);

const stores = await openAllStores();
try {
  if (!values.keep) for (const store of Object.values(stores)) await store.clear();
  const began = performance.now();
  const spent = await seedStores(stores, {
    offenders, seed, asOf: values['as-of'], skipExisting: values.keep,
    onProgress: (done, total) => process.stdout.write(`\rseeded ${done} / ${total} offenders`),
  });
  process.stdout.write('\n');
  // Fresh planner statistics: PostgreSQL's autovacuum may not have analysed bulk-loaded
  // tables yet (measured at ~770 000 offenders: cases by SID took a sequential scan, 1.1 s,
  // until ANALYZE; 0.3 ms after). InnoDB recalculates its statistics by itself.
  for (const store of Object.values(stores)) if (store.database.engine !== 'mysql') await sql`analyze`.execute(store.database.db);
  for (const [name, ms] of Object.entries(spent)) console.log(`${name.padEnd(14)} ${stores[name].database.describe.padEnd(40)} ${(ms / 1000).toFixed(1)} s`);
  console.log(`total ${((performance.now() - began) / 1000).toFixed(1)} s for ${offenders} offenders (seed ${seed})`);
} finally {
  for (const store of Object.values(stores)) await store.close();
}
