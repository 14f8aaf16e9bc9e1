// npx tsx bench/explain.ts [LAST_NAME …]
// Opens the public-safety store at PUBLIC_SAFETY_DATABASE_URL (migrating it: the first run
// on an older database adds the alias sort key and the *_PAGE_IX indexes), then prints the
// engine's plan and timing of the name search page for each last name (default SMITH and a
// rare one), to check that no plan sorts every match.
import '../gateway/telemetry-off.ts';
import { openPublicSafetyStore } from '../subgraphs/public-safety/store/index.ts';
import { namePage } from '../subgraphs/public-safety/store/search.ts';

const url = process.env.PUBLIC_SAFETY_DATABASE_URL;
if (!url) {
  console.error('set PUBLIC_SAFETY_DATABASE_URL, e.g. mysql://root@127.0.0.1:3306/perf_ps');
  process.exit(2);
}
const began = performance.now();
const store = await openPublicSafetyStore({ url });
console.log(`opened and migrated in ${((performance.now() - began) / 1000).toFixed(1)} s; ${await store.countPeople()} offenders`);
const { db, engine } = store.database;
const names = process.argv.slice(2).length ? process.argv.slice(2) : ['SMITH', 'FISHIN'];
for (const name of names) {
  for (const mode of ['exact', 'phonetic'] as const) {
    const criteria = { lastName: { mode, value: name } };
    const page = namePage(db, engine, criteria, 26).compile();
    const explain = engine === 'mysql' ? 'explain' : 'explain (analyze, costs off, timing off, summary on)';
    // The compiled page with its bound parameters, prefixed by EXPLAIN.
    const { rows: planRows } = await db.executeQuery({ ...page, sql: `${explain} ${page.sql}` });
    const t0 = performance.now();
    const found = await store.searchOffenders(criteria, 26);
    const ms = performance.now() - t0;
    const matches = await store.countOffenders(criteria);
    console.log(`\n### ${mode} ${name}: ${matches} persons match; page of ${found.length} in ${ms.toFixed(1)} ms`);
    for (const row of planRows as Array<Record<string, unknown>>) console.log(Object.values(row).map((v) => String(v)).join(' | '));
  }
}
await store.close();
