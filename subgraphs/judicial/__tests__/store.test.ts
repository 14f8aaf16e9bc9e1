// The Judicial store against embedded PGlite and a real PostgreSQL server: the same
// assertions over both, seeded with generated stories; expected values come from the
// stories. Erasure (C.G.S. 54-142a) is checked on every access path.
import assert from 'node:assert/strict';
import { freshPostgresDatabase } from '../../../test/support/databases.ts';
import type { OffenderStory } from '../../../seed/story.ts';
import { openJudicialStore, type JudicialStore, type WarrantFilter, type WarrantKey } from '../store/index.ts';
import {
  courtNamesOf, ERASED_SID, erasedDockets, expectedCases, expectedCharges, expectedInfractions, expectedOrders,
  expectedProbation, expectedWarrants, judicialStories, registryName,
} from './fixtures.ts';

const engines: Array<[string, () => Promise<JudicialStore>]> = [
  ['PGlite', () => openJudicialStore({ pgliteDir: 'memory' })],
  ['PostgreSQL', async () => openJudicialStore({ url: await freshPostgresDatabase('judicial_store') })],
];

for (const [engine, open] of engines) {
  describe(`judicial store on ${engine}`, () => {
    const stories: OffenderStory[] = judicialStories();
    const erased = erasedDockets(stories);
    const courts = courtNamesOf(stories);
    const sids = stories.map((s) => s.person.sid);
    let store: JudicialStore;

    before(async () => {
      store = await open();
      await store.seed(stories);
    });
    after(async () => {
      await store?.close();
    });

    it('seeds one defendant per person with judicial records, and migrates idempotently', async () => {
      const known = stories.filter((s) => s.cases.length + s.warrants.length + s.protectiveOrders.length + s.infractions.length + s.probations.length > 0);
      assert.equal(await store.countPeople(), known.length);
      await store.migrate();
      await store.ping();
      assert.equal(await store.countPeople(), known.length);
    });

    it('keeps one SQL schema per source system with legacy tables', async () => {
      const tables = await store.database.db.introspection.getTables();
      const names = tables.map((t) => `${t.schema}.${t.name}`);
      for (const name of ['ccms.crim_case', 'ccms.chrg', 'ccms.plea', 'ccms.vrdct', 'ccms.dispo', 'ccms.sntnc', 'ccms.bond', 'ccms.hrng', 'ccms.dfndnt', 'cib.tkt', 'prawn.wrnt', 'por.prot_ord', 'por.ord_cond', 'por.prot_prsn', 'pcms.prob_case', 'pcms.prob_cond', 'pcms.prob_viol']) {
        assert.ok(names.includes(name), `${name} exists`);
      }
    });

    it('returns every person\'s non-erased cases, newest first, in one statement', async () => {
      const before = store.database.counter.total;
      const cases = await store.casesBySids(sids);
      assert.equal(store.database.counter.total - before, 1);
      for (const story of stories) {
        assert.deepEqual(cases.filter((c) => c.sid === story.person.sid), expectedCases(story), story.person.sid);
      }
      assert.ok(cases.every((c) => !erased.has(c.docketNumber)));
    });

    it('finds cases by docket, never an erased one', async () => {
      const all = stories.flatMap((s) => s.cases.map((c) => c.docketNumber));
      const found = await store.casesByDockets(all);
      assert.deepEqual(new Set(found.map((c) => c.docketNumber)), new Set(all.filter((d) => !erased.has(d))));
      assert.ok(erased.size > 5, 'the fixture has erased cases');
      assert.deepEqual(await store.casesByDockets([...erased]), []);
    });

    it('returns the counts of a case with plea, verdict and disposition; none of an erased case', async () => {
      const dockets = stories.flatMap((s) => s.cases.map((c) => c.docketNumber));
      const charges = await store.chargesByDockets(dockets);
      for (const story of stories) {
        for (const kase of story.cases) {
          const got = charges.filter((c) => c.docketNumber === kase.docketNumber);
          assert.deepEqual(got, kase.erased ? [] : expectedCharges(story, kase.docketNumber), kase.docketNumber);
        }
      }
    });

    it('returns warrants, orders, infractions and probation by SID, none tied to an erased docket', async () => {
      const [warrants, orders, tickets, probation] = await Promise.all([
        store.warrantsBySids(sids), store.ordersBySids(sids), store.infractionsBySids(sids), store.probationBySids(sids),
      ]);
      for (const story of stories) {
        const sid = story.person.sid;
        assert.deepEqual(warrants.filter((w) => w.sid === sid), expectedWarrants(story, erased, courts), `warrants of ${sid}`);
        assert.deepEqual(orders.filter((o) => o.sid === sid), expectedOrders(story, erased, courts), `orders of ${sid}`);
        assert.deepEqual(tickets.filter((t) => t.sid === sid), expectedInfractions(story), `infractions of ${sid}`);
        assert.deepEqual(probation.filter((p) => p.sid === sid), expectedProbation(story, erased), `probation of ${sid}`);
      }
      const clone = stories.find((s) => s.person.sid === ERASED_SID)!;
      assert.ok(clone.probations.length > 0 && clone.warrants.length > 0, 'the erased person has probation and warrants');
      assert.equal([...warrants, ...orders, ...probation].filter((r) => r.sid === ERASED_SID).length, 0);
    });

    it('finds warrants and orders by number, and protected persons, never on an erased docket', async () => {
      const allWarrants = stories.flatMap((s) => s.warrants);
      const found = await store.warrantsByNumbers(allWarrants.map((w) => w.warrantNumber));
      assert.deepEqual(new Set(found.map((w) => w.warrantNumber)), new Set(allWarrants.filter((w) => !erased.has(w.docketNumber)).map((w) => w.warrantNumber)));
      const allOrders = stories.flatMap((s) => s.protectiveOrders);
      const visible = allOrders.filter((o) => !o.docketNumber || !erased.has(o.docketNumber));
      const orders = await store.ordersByNumbers(allOrders.map((o) => o.orderNumber));
      assert.deepEqual(new Set(orders.map((o) => o.orderNumber)), new Set(visible.map((o) => o.orderNumber)));
      const persons = await store.protectedPersonsByOrders(allOrders.map((o) => o.orderNumber));
      const expected = visible.flatMap((o) => o.protectedPersons.map((p) => ({
        orderNumber: o.orderNumber, name: registryName(p.name), dateOfBirth: p.dateOfBirth, relationship: p.relationship,
      })));
      const key = (p: { orderNumber: string; name: string }) => `${p.orderNumber} ${p.name}`;
      assert.deepEqual([...persons].sort((a, b) => key(a).localeCompare(key(b))), expected.sort((a, b) => key(a).localeCompare(key(b))));
    });

    it('pages the warrant search by issue date then number, with filters, skipping erased dockets', async () => {
      const visible = stories.flatMap((s) => expectedWarrants(s, erased, courts))
        .sort((a, b) => b.issuedDate.localeCompare(a.issuedDate) || b.warrantNumber.localeCompare(a.warrantNumber));
      const court = visible[0].court.code;
      const filters: Array<[WarrantFilter, (w: (typeof visible)[number]) => boolean]> = [
        [{}, () => true],
        [{ status: 'SERVED' }, (w) => w.status === 'SERVED'],
        [{ court }, (w) => w.court.code === court],
        [{ issuedAfter: '2024-01-01' }, (w) => w.issuedDate > '2024-01-01'],
      ];
      for (const [filter, keep] of filters) {
        const expected = visible.filter(keep).map((w) => w.warrantNumber);
        const got: string[] = [];
        let after: WarrantKey | undefined;
        for (let pages = 0; pages < 50; pages += 1) {
          const rows = await store.searchWarrants(filter, 4, after);
          got.push(...rows.map((w) => w.warrantNumber));
          if (rows.length < 4) break;
          after = [rows[3].issuedDate, rows[3].warrantNumber];
        }
        assert.deepEqual(got, expected, JSON.stringify(filter));
        assert.equal(await store.countWarrants(filter), expected.length);
      }
    });

    it('clears every table', async () => {
      await store.clear();
      assert.equal(await store.countPeople(), 0);
      assert.deepEqual(await store.searchWarrants({}, 5), []);
      await store.seed(stories);
      assert.ok((await store.countPeople()) > 0);
    });
  });
}
