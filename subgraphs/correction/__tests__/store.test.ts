// The DOC store on both engines it runs on: embedded PGlite and a real PostgreSQL server.
// Same stories, same assertions; expected values come from the stories (fixtures.ts).
import assert from 'node:assert/strict';
import { countStatements, type StoreLocation } from '../../shared/db.ts';
import { freshPostgresDatabase } from '../../../test/support/databases.ts';
import { openCorrectionStore, type CorrectionStore } from '../store/index.ts';
import {
  busiestReleaseYear, erasedStories, expectedCustody, expectedMovements, expectedParole, expectedReleases, expectedSentences, isErased, testStories,
} from './fixtures.ts';

const stories = testStories();
const sids = stories.map((s) => s.person.sid);
const withoutMovements = <T extends { movements: unknown }>({ movements: _movements, ...rest }: T) => rest;

const engines: Array<[string, () => Promise<StoreLocation>]> = [
  ['PGlite', async () => ({ pgliteDir: 'memory' })],
  ['PostgreSQL', async () => ({ url: await freshPostgresDatabase('correction_store') })],
];

for (const [engine, location] of engines) {
  describe(`correction store on ${engine}`, () => {
    let store: CorrectionStore;

    before(async () => {
      store = await openCorrectionStore(await location());
      // Two batches, as seed/run.ts writes them (facilities are shared between batches).
      await store.seed(stories.slice(0, 25));
      await store.seed(stories.slice(25));
    });
    after(async () => {
      await store?.close();
    });

    it('counts the people DOC holds', async () => {
      assert.equal(await store.countPeople(), stories.filter((s) => s.custodies.length).length);
    });

    it('answers custody for a batch of SIDs in one statement, newest admission first', async () => {
      const { result, statements } = await countStatements(() => store.custodyBySids(sids));
      assert.equal(statements, 1);
      for (const story of stories) {
        const got = result.filter((r) => r.sid === story.person.sid);
        assert.deepEqual(got, expectedCustody(story).map(withoutMovements), story.person.sid);
      }
    });

    it('answers the newest admission of each inmate number', async () => {
      const people = stories.filter((s) => s.custodies.length > 1);
      assert.ok(people.length > 0, 'fixture has repeat admissions');
      const rows = await store.admissionsByInmates(people.map((s) => s.custodies[0].inmateNumber));
      for (const story of people) {
        const newest = rows.find((r) => r.inmateNumber === story.custodies[0].inmateNumber);
        assert.deepEqual(newest, withoutMovements(expectedCustody(story)[0]));
      }
    });

    it('answers facility movements per inmate number, oldest first', async () => {
      const inmates = [...new Set(stories.flatMap((s) => s.custodies.map((c) => c.inmateNumber)))];
      const { result, statements } = await countStatements(() => store.movementsByInmates(inmates));
      assert.equal(statements, 1);
      for (const story of stories) {
        for (const stay of expectedCustody(story)) {
          const got = result.filter((m) => m.inmateNumber === stay.inmateNumber && m.admissionSequence === stay.admissionSequence);
          assert.deepEqual(got.map(({ inmateNumber: _i, admissionSequence: _a, ...move }) => move), stay.movements);
        }
      }
      const custody = stories.find((s) => s.custodies.some((c) => c.movements.length > 1))!.custodies[0];
      assert.deepEqual(expectedMovements(custody)[0].fromFacility, null);
    });

    it('answers time calculations by SID and by docket', async () => {
      const bySid = await store.sentencesBySids(sids);
      for (const story of stories) {
        const expected = expectedSentences(story);
        assert.deepEqual(bySid.filter((r) => r.sid === story.person.sid).map(({ sid: _sid, ...rest }) => rest), expected);
      }
      const dockets = stories.flatMap((s) => s.timeCalculations.map((t) => t.docketNumber));
      const byDocket = await store.sentencesByDockets([...dockets, 'H12M-CR19-9999999-S']);
      const live = stories.flatMap(expectedSentences);
      assert.deepEqual(byDocket.map(({ sid: _sid, ...rest }) => rest).sort((a, b) => a.docketNumber.localeCompare(b.docketNumber)),
        [...live].sort((a, b) => a.docketNumber.localeCompare(b.docketNumber)));
    });

    it('answers parole cases with their conditions, and case notes per case', async () => {
      const cases = await store.paroleBySids(sids);
      const notes = await store.caseNotesByParoleCases(stories.flatMap((s) => s.paroles.map((p) => p.caseNumber)));
      let seen = 0;
      for (const story of stories) {
        const expected = expectedParole(story);
        const got = cases.filter((p) => p.sid === story.person.sid).map(({ sid: _sid, ...rest }) => ({
          ...rest,
          caseNotes: notes.filter((n) => n.caseNumber === rest.caseNumber).map(({ caseNumber: _c, ...note }) => note),
        }));
        assert.deepEqual(got, expected, story.person.sid);
        seen += expected.length;
      }
      assert.ok(seen >= 2, 'fixture has parole cases');
    });

    it('pages releases in a date range by release date, then inmate number', async () => {
      const range = busiestReleaseYear(stories);
      const expected = expectedReleases(stories, range.from, range.to);
      assert.ok(expected.length >= 3, 'the range holds several releases');
      assert.equal(await store.countReleases(range), expected.length);
      const seen = [];
      let after: [string, string, number] | undefined;
      for (;;) {
        const page = await store.releases(range, 2, after);
        seen.push(...page);
        if (page.length < 2) break;
        const last = page[page.length - 1];
        after = [last.releaseDate!, last.inmateNumber, last.admissionSequence];
      }
      assert.deepEqual(seen, expected.map(withoutMovements));
    });

    it('never returns records of erased dockets (C.G.S. 54-142a)', async () => {
      const erased = erasedStories(stories);
      assert.equal(erased.length, 2);
      for (const story of erased) {
        const custody = story.custodies.find((c) => isErased(story, c.docketNumber))!;
        assert.deepEqual((await store.custodyBySids([story.person.sid])).filter((r) => r.docketNumber === custody.docketNumber), []);
        assert.deepEqual(await store.admissionsByInmates([custody.inmateNumber]), []);
        assert.deepEqual(await store.movementsByInmates([custody.inmateNumber]), []);
        assert.deepEqual(await store.sentencesByDockets([custody.docketNumber]), []);
        assert.deepEqual(await store.sentencesBySids([story.person.sid]), []);
        const released = { from: custody.releaseDate!, to: custody.releaseDate! };
        assert.ok(!(await store.releases(released, 100)).some((r) => r.inmateNumber === custody.inmateNumber));
        assert.equal(await store.countReleases(released), expectedReleases(stories, released.from, released.to).length);
      }
      const parolee = erased.find((s) => s.paroles.length)!;
      assert.deepEqual(await store.paroleBySids([parolee.person.sid]), []);
      assert.deepEqual(await store.caseNotesByParoleCases(parolee.paroles.map((p) => p.caseNumber)), []);
    });

    it('answers unknown keys with nothing, and an empty batch without a statement', async () => {
      assert.deepEqual(await store.custodyBySids(['999999999']), []);
      const empty = await countStatements(() => store.movementsByInmates([]));
      assert.deepEqual(empty, { result: [], statements: 0 });
      assert.deepEqual(await store.admissionsByInmates(['999999']), []);
      assert.deepEqual(await store.paroleBySids(['999999999']), []);
    });

    it('migrates idempotently, clears, and seeds again', async () => {
      await store.migrate();
      await store.clear();
      assert.equal(await store.countPeople(), 0);
      await store.seed(stories);
      assert.equal(await store.countPeople(), stories.filter((s) => s.custodies.length).length);
      await store.ping();
    });
  });
}
