// The DPS store on the embedded engine (PGlite) and on a real MariaDB server: the same
// assertions over both, with expected values computed from the seeded stories.
import assert from 'node:assert/strict';
import { freshMysqlDatabase } from '../../../test/support/databases.ts';
import type { StoreLocation } from '../../shared/db.ts';
import { openPublicSafetyStore, type OffenderCriteria, type PublicSafetyStore, type SearchKey, searchKeyOf } from '../store/index.ts';
import { soundex } from '../store/phonetic.ts';
import {
  erasedTrackingNumbers, expectedAliases, expectedArrests, expectedOffender, expectedRegistration, inSearchOrder, testStories,
} from './fixtures.ts';

const stories = testStories();
const sids = stories.map((s) => s.person.sid);
const bySid = new Map(stories.map((s) => [s.person.sid, s]));

const engines: Array<[string, () => Promise<StoreLocation>]> = [
  ['PGlite (embedded)', async () => ({ pgliteDir: 'memory' })],
  ['MariaDB', async () => ({ url: await freshMysqlDatabase('public_safety_store') })],
];

for (const [engine, location] of engines) {
  describe(`public-safety store on ${engine}`, () => {
    let store: PublicSafetyStore;
    before(async () => {
      store = await openPublicSafetyStore(await location());
      await store.seed(stories);
    });
    after(async () => store?.close());

    /** Every page of a search, walked with the keyset cursor. */
    async function allPages(criteria: OffenderCriteria, size: number): Promise<string[]> {
      const found: string[] = [];
      let after: SearchKey | undefined;
      for (;;) {
        const rows = await store.searchOffenders(criteria, size + 1, after);
        found.push(...rows.slice(0, size).map((r) => r.sid));
        if (rows.length <= size) return found;
        after = searchKeyOf(rows[size - 1]);
      }
    }
    const expectedSids = (keep: (s: (typeof stories)[number]) => boolean) => inSearchOrder(stories.filter(keep)).map((s) => s.person.sid);

    it('counts the people it seeded; migrating again changes nothing', async () => {
      await store.migrate();
      assert.equal(await store.countPeople(), stories.length);
    });

    it('reads MNI persons by SID, mapping the legacy columns; unknown SIDs are absent', async () => {
      const rows = await store.offendersBySids([...sids, '999999999']);
      assert.equal(rows.length, stories.length);
      for (const row of rows) assert.deepEqual(row, expectedOffender(bySid.get(row.sid)!));
    });

    it('reads aliases and scars/marks/tattoos in recorded order', async () => {
      const aliases = await store.aliasesBySids(sids);
      const smt = await store.scarsMarksTattoosBySids(sids);
      assert.ok(aliases.length > 0, 'the test stories include aliases');
      for (const story of stories) {
        assert.deepEqual(aliases.filter((a) => a.sid === story.person.sid).map((a) => a.name), expectedAliases(story));
        assert.deepEqual(smt.filter((a) => a.sid === story.person.sid).map((a) => a.description), story.person.scarsMarksTattoos);
      }
    });

    it('reads arrests newest first with charges and posted dispositions, never erased ones (C.G.S. 54-142a)', async () => {
      const arrests = await store.arrestsBySids(sids);
      const erased = erasedTrackingNumbers(stories);
      assert.ok(erased.length > 0, 'the test stories include erased arrests');
      for (const story of stories) {
        const own = arrests.filter((a) => a.sid === story.person.sid).map(({ sid, ...arrest }) => arrest);
        assert.deepEqual(own, expectedArrests(story));
      }
      for (const arrest of arrests) assert.ok(!erased.includes(arrest.trackingNumber), `erased arrest ${arrest.trackingNumber} returned`);
    });

    it('reads sex offender registrations', async () => {
      const registrations = await store.registrationsBySids(sids);
      assert.equal(registrations.length, stories.filter((s) => s.registration).length);
      assert.ok(registrations.length > 0);
      for (const { sid, ...registration } of registrations) assert.deepEqual(registration, expectedRegistration(bySid.get(sid)!));
    });

    it('finds a person by FBI number', async () => {
      const story = stories.find((s) => s.person.fbiNumber)!;
      assert.equal((await store.offenderByFbiNumber(story.person.fbiNumber!))?.sid, story.person.sid);
      assert.equal(await store.offenderByFbiNumber('000000ZZ0'), null);
    });

    it('searches last names exactly and by prefix, case-insensitively stored upper case', async () => {
      assert.deepEqual(await allPages({ lastName: { mode: 'exact', value: 'SMITH' } }, 20), expectedSids((s) => s.person.name.last === 'SMITH'));
      assert.deepEqual(await allPages({ lastName: { mode: 'prefix', value: 'SM' } }, 20), expectedSids((s) => s.person.name.last.startsWith('SM')));
      assert.deepEqual(await allPages({ lastName: { mode: 'prefix', value: 'ZZZ' } }, 20), []);
    });

    it('searches by stored Soundex codes: SMYTH finds SMITH, JONSON with a first name finds JOHNSON', async () => {
      assert.deepEqual(
        await allPages({ lastName: { mode: 'phonetic', value: 'SMYTHE' } }, 20),
        expectedSids((s) => ['SMITH', 'SMYTH'].includes(s.person.name.last) || soundex(s.person.name.last) === 'S530'),
      );
      const johnson = stories.find((s) => s.person.name.last === 'JOHNSON')!;
      const first = johnson.person.name.first;
      assert.deepEqual(
        await allPages({ lastName: { mode: 'phonetic', value: 'JONSON' }, firstName: { mode: 'phonetic', value: first } }, 20),
        expectedSids((s) => soundex(s.person.name.last) === 'J525' && soundex(s.person.name.first) === soundex(first)),
      );
    });

    it('searches by date of birth, sex and race', async () => {
      const story = stories[7];
      assert.deepEqual(await allPages({ dateOfBirth: story.person.dateOfBirth }, 20), expectedSids((s) => s.person.dateOfBirth === story.person.dateOfBirth));
      assert.deepEqual(await allPages({ sex: 'F', race: 'W' }, 20), expectedSids((s) => s.person.sex === 'F' && s.person.race === 'W'));
    });

    it('pages with a keyset cursor in (last, first, SID) order, every row once, and counts all matches', async () => {
      const male = expectedSids((s) => s.person.sex === 'M');
      assert.ok(male.length > 20);
      for (const size of [1, 7, 100]) assert.deepEqual(await allPages({ sex: 'M' }, size), male);
      assert.equal(await store.countOffenders({ sex: 'M' }), male.length);
      assert.equal(await store.countOffenders({ lastName: { mode: 'phonetic', value: 'SMITH' } }), expectedSids((s) => soundex(s.person.name.last) === 'S530').length);
    });

    it('answers an empty batch without a statement, and clears every table', async () => {
      const before = store.database.counter.total;
      assert.deepEqual(await store.arrestsBySids([]), []);
      assert.equal(store.database.counter.total, before);
      await store.clear();
      assert.equal(await store.countPeople(), 0);
      assert.deepEqual(await store.arrestsBySids(sids), []);
    });
  });
}
