// Offender tracking through the gateway (issue 4): the tracking subgraph reads every
// agency's fields through @requires on each request. A row changed in an agency store
// with plain SQL shows in the very next answer; every agency identifier reaches the same
// status; the SQL statements per agency stay constant however many offenders a page
// holds; a person known to one agency only still gets a status.
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { generateStories } from '../seed/generate.ts';
import type { OffenderStory } from '../seed/story.ts';
import { TRACKING_QUERY } from '../bench/scenarios.ts';
import { startStack, type Engines, type Stack } from './support/stack.ts';
import { AGENCY_SUBGRAPHS } from '../schema/subgraphs.ts';

const SEED = 23;

const STATUS = `trackingStatus {
  stage custodyBasis since summary basis { system key lastUpdated } overlays { kind since summary record { system key lastUpdated } }
  cases { docketNumber stage custodyBasis since } activeCaseCount contradictions { kind summary } unavailableSources lastSourceChange }`;
const TIMELINE = 'timeline(first: 100) { totalCount edges { node { date kind summary docketNumber source { system key lastUpdated } } } }';

const erasedDockets = (s: OffenderStory) => new Set(s.cases.filter((c) => c.erased).map((c) => c.docketNumber));
const visibleCustody = (s: OffenderStory) => s.custodies.filter((c) => !erasedDockets(s).has(c.docketNumber));

/** Three stories each written to one agency's store (and to MNI, the identity authority) only: see `populate` below. */
function loners(): { dps: OffenderStory; doc: OffenderStory; judicial: OffenderStory } {
  const pool = generateStories({ offenders: 400, seed: SEED, start: 50_000 });
  const single = (s: OffenderStory) => s.cases.length === 1 && !s.cases[0].erased;
  const open = pool.filter((s) => single(s) && s.cases[0].status === 'OPEN' && !s.custodies.length && !s.warrants.length && !s.protectiveOrders.length);
  return {
    dps: open[0],
    judicial: open[1],
    doc: pool.find((s) => single(s) && s.custodies.length === 1 && s.custodies[0].status === 'SENTENCED')!,
  };
}

/** Statements each agency store ran while `work` ran (tracking has no store). */
async function statementsDuring(stack: Stack, work: () => Promise<unknown>): Promise<Record<string, number>> {
  const before = Object.fromEntries(Object.entries(stack.stores).map(([name, store]) => [name, store.database.counter.total]));
  await work();
  return Object.fromEntries(Object.entries(stack.stores).map(([name, store]) => [name, store.database.counter.total - before[name]]));
}

for (const engines of ['embedded', 'servers'] as Engines[]) {
  describe(`offender tracking through the gateway (${engines === 'embedded' ? 'embedded PGlite' : 'PostgreSQL + MariaDB servers'})`, function () {
    this.timeout(120_000);
    const stories = generateStories({ offenders: 1500, seed: SEED });
    const alone = loners();
    let stack: Stack;

    before(async () => {
      stack = await startStack(stories, {
        engines,
        tag: 'tracking',
        populate: async (stores) => {
          for (const store of Object.values(stores)) await store.seed(stories);
          // MNI knows all three (it is the identity authority); each has records in one agency only.
          const identityOnly = (s: OffenderStory): OffenderStory => ({ ...s, cases: [], registration: null });
          await stores['public-safety'].seed([alone.dps, identityOnly(alone.doc), identityOnly(alone.judicial)]);
          await stores.correction.seed([alone.doc]);
          await stores.judicial.seed([alone.judicial]);
        },
      });
    });
    after(async () => {
      await stack?.stop();
    });

    async function data(query: string, variables: Record<string, unknown> = {}) {
      const { status, body } = await stack.query(query, variables);
      assert.equal(status, 200, JSON.stringify(body));
      assert.equal(body.errors, undefined, JSON.stringify(body.errors));
      return body.data;
    }
    const offender = async (sid: string) => (await data(`query($sid: ID!) { offender(sid: $sid) { ${STATUS} ${TIMELINE} } }`, { sid })).offender;

    it('reaches the same status from every agency identifier', async () => {
      const story = stories.find((s) => s.person.fbiNumber && visibleCustody(s).length && s.warrants.some((w) => !erasedDockets(s).has(w.docketNumber))
        && s.protectiveOrders.some((o) => !o.docketNumber || !erasedDockets(s).has(o.docketNumber)))!;
      const custody = visibleCustody(story)[0];
      const warrant = story.warrants.find((w) => !erasedDockets(story).has(w.docketNumber))!;
      const order = story.protectiveOrders.find((o) => !o.docketNumber || !erasedDockets(story).has(o.docketNumber))!;
      const bySid = (await data(`query($sid: ID!) { offender(sid: $sid) { sid ${STATUS} } }`, { sid: story.person.sid })).offender;
      assert.notEqual(bySid.trackingStatus.stage, 'NO_RECORD');
      const lookups: Array<[string, string, Record<string, string>, (d: any) => any]> = [
        ['FBI number', `query($v: String!) { o: offenderByFbiNumber(fbiNumber: $v) { sid ${STATUS} } }`, { v: story.person.fbiNumber! }, (d) => d.o],
        ['docket number', `query($v: ID!) { c: courtCase(docketNumber: $v) { offender { sid ${STATUS} } } }`, { v: custody.docketNumber.replace(/-/g, '') }, (d) => d.c.offender],
        ['inmate number', `query($v: ID!) { i: inmate(inmateNumber: $v) { offender { sid ${STATUS} } } }`, { v: custody.inmateNumber }, (d) => d.i.offender],
        ['warrant number', `query($v: ID!) { w: warrant(warrantNumber: $v) { offender { sid ${STATUS} } } }`, { v: warrant.warrantNumber }, (d) => d.w.offender],
        ['order number', `query($v: ID!) { p: protectiveOrder(orderNumber: $v) { offender { sid ${STATUS} } } }`, { v: order.orderNumber }, (d) => d.p.offender],
      ];
      for (const [name, query, variables, pick] of lookups) assert.deepEqual(pick(await data(query, variables)), bySid, name);
    });

    describe('freshness: a change in a source shows in the very next answer', () => {
      it('PRAWN: a warrant marked served leaves the overlays and enters the timeline', async () => {
        const story = stories.find((s) => s.warrants.some((w) => w.status === 'active' && !erasedDockets(s).has(w.docketNumber)))!;
        const warrant = story.warrants.find((w) => w.status === 'active')!;
        const before = await offender(story.person.sid);
        assert.ok(before.trackingStatus.overlays.some((o: any) => o.kind === 'ACTIVE_WARRANT' && o.record.key === warrant.warrantNumber));
        await sql`update prawn.wrnt set wrnt_stat_cd = 'S', clsd_dt = '2026-11-20', last_chg_ts = '2026-11-20 09:30:00' where wrnt_no = ${warrant.warrantNumber}`.execute(stack.stores.judicial.database.db);
        const after = await offender(story.person.sid);
        assert.ok(!after.trackingStatus.overlays.some((o: any) => o.record.key === warrant.warrantNumber));
        const served = after.timeline.edges.map((e: any) => e.node).find((e: any) => e.kind === 'WARRANT_SERVED' && e.source.key === warrant.warrantNumber);
        assert.deepEqual(served, {
          date: '2026-11-20', kind: 'WARRANT_SERVED', summary: `Warrant ${warrant.warrantNumber} served`, docketNumber: warrant.docketNumber,
          source: { system: 'PRAWN', key: warrant.warrantNumber, lastUpdated: '2026-11-20T09:30:00.000Z' },
        });
        assert.equal(after.timeline.totalCount, before.timeline.totalCount + 1);
      });

      it('OMIS: an inmate released moves the status from incarcerated to released', async () => {
        const story = stories.find((s) => s.cases.length === 1 && !s.cases[0].erased && s.cases[0].sentence?.type === 'INCARCERATION'
          && s.custodies.length === 1 && s.custodies[0].status === 'SENTENCED' && !s.paroles.length && !s.probations.length)!;
        const custody = story.custodies[0];
        const before = (await offender(story.person.sid)).trackingStatus;
        assert.deepEqual([before.stage, before.custodyBasis, before.since], ['INCARCERATED', 'SENTENCED', custody.admissionDate]);
        await sql`update omis_adm set inmt_stat_cd = 'RL', rel_dt = '2026-11-21', rel_typ_cd = 'EOS', last_mod_ts = '2026-11-21 15:00:00'
          where inmt_no = ${custody.inmateNumber} and rel_dt is null`.execute(stack.stores.correction.database.db);
        const after = await offender(story.person.sid);
        assert.deepEqual([after.trackingStatus.stage, after.trackingStatus.custodyBasis, after.trackingStatus.since], ['RELEASED', null, '2026-11-21']);
        assert.equal(after.trackingStatus.lastSourceChange, '2026-11-21T15:00:00.000Z');
        const last = after.timeline.edges[after.timeline.edges.length - 1].node;
        assert.deepEqual([last.date, last.kind, last.source.system], ['2026-11-21', 'RELEASE', 'OMIS']);
      });

      it('MNI/CCH: a new arrest of a released person makes them arrested, and the MNI stamp moves', async () => {
        const story = stories.find((s) => s.cases.length && s.cases.every((c) => c.status === 'DISPOSED' && !c.erased) && !s.custodies.length && !s.probations.length && !s.registration)!;
        assert.equal((await offender(story.person.sid)).trackingStatus.stage, 'RELEASED');
        const db = stack.stores['public-safety'].database.db;
        const otn = 'CT2699999901';
        await sql`insert into ${sql.table('CCH_ARREST')} (${sql.join(['OTN', 'SID', 'ARR_DT', 'ARR_ORI', 'ARR_AGCY', 'DKT_NO', 'ERASED_IND'].map((c) => sql.ref(c)))})
          values (${otn}, ${story.person.sid}, '20261122', 'CT0006400', 'HARTFORD POLICE DEPARTMENT', null, 'N')`.execute(db);
        await sql`insert into ${sql.table('CCH_CHARGE')} (${sql.join(['OTN', 'CHG_SEQ', 'STATUTE', 'CHG_DESC', 'NCIC_CD', 'OFF_CLASS', 'CRT_DISP_CD', 'CRT_DISP_DT'].map((c) => sql.ref(c)))})
          values (${otn}, 1, '53a-125b', 'LARCENY 6TH DEGREE', '2399', 'MC', null, null)`.execute(db);
        await sql`update ${sql.table('MNI_PERSON')} set ${sql.ref('LAST_UPD_TS')} = '2026-11-22-08.15.00.000000' where ${sql.ref('SID')} = ${story.person.sid}`.execute(db);
        const after = await offender(story.person.sid);
        assert.deepEqual([after.trackingStatus.stage, after.trackingStatus.since], ['ARRESTED', '2026-11-22']);
        assert.deepEqual(after.trackingStatus.basis, [{ system: 'CCH', key: otn, lastUpdated: null }]);
        assert.equal(after.trackingStatus.lastSourceChange, '2026-11-22T08:15:00.000Z');
        const last = after.timeline.edges[after.timeline.edges.length - 1].node;
        assert.deepEqual([last.date, last.kind, last.summary], ['2026-11-22', 'ARREST', `Arrested by HARTFORD POLICE DEPARTMENT: LARCENY 6TH DEGREE (OTN ${otn})`]);
      });
    });

    it('reads every case, warrant and order whatever the client filtered courtCases, warrants and protectiveOrders by in the same request', async () => {
      // The planner merges tracking's @requires into the client's own selection of a field
      // and keeps the client's arguments (apollographql/federation#2276); tracking reads
      // judicial's argument-free fields instead, so a filter beside it narrows nothing.
      const visible = (s: OffenderStory) => s.cases.filter((c) => !c.erased);
      const story = stories.find((s) => visible(s).some((c) => c.status === 'OPEN') && visible(s).some((c) => c.status !== 'OPEN') && s.warrants.some((w) => w.status === 'active' && !erasedDockets(s).has(w.docketNumber)))!;
      assert.ok(story, 'a seeded person with an open case, another case and an active warrant');
      const filters = 'courtCases(status: DISPOSED, first: 1) { totalCount edges { node { docketNumber status } } } warrants(status: VACATED) { warrantNumber } protectiveOrders(activeOn: "1990-01-01") { orderNumber }';
      const plain = (await data(`query($sid: ID!) { offender(sid: $sid) { ${STATUS} ${TIMELINE} } }`, { sid: story.person.sid })).offender;
      const beside = (await data(`query($sid: ID!) { offender(sid: $sid) { ${filters} ${STATUS} ${TIMELINE} } }`, { sid: story.person.sid })).offender;
      assert.ok(beside.courtCases.edges.every((edge: any) => edge.node.status === 'DISPOSED'), 'the client gets the cases it asked for');
      assert.ok(beside.courtCases.edges.length < visible(story).length);
      assert.deepEqual(beside.trackingStatus, plain.trackingStatus);
      assert.deepEqual(beside.timeline, plain.timeline);
      assert.deepEqual(plain.trackingStatus.cases.map((c: any) => c.docketNumber).sort(), visible(story).map((c) => c.docketNumber).sort(), 'tracking read every case the court discloses');
      assert.ok(plain.trackingStatus.overlays.some((o: any) => o.kind === 'ACTIVE_WARRANT'), 'and the active warrant');
    });

    it('tells a role what tracking could not read: in unavailableSources, and as refusals at the API fields those records come through', async () => {
      // victim-services reads MNI, CCMS, POR, OMIS and time calculations; no CCH, PRAWN, PCMS, SOR or parole.
      const story = stories.find((s) => s.warrants.length > 0)!;
      const headers = { authorization: `Bearer ${await stack.token({ user: 'victim-advocate', roles: ['victim-services'] })}` };
      const { status, body } = await stack.query('query($sid: ID!) { offender(sid: $sid) { sid trackingStatus { stage unavailableSources } timeline(first: 5) { totalCount unavailableSources } } }', { sid: story.person.sid }, headers);
      assert.equal(status, 200);
      for (const system of ['CCH', 'PRAWN', 'PCMS']) {
        assert.ok(body.data.offender.trackingStatus.unavailableSources.includes(system), `${system} named as not read in the status`);
        assert.ok(body.data.offender.timeline.unavailableSources.includes(system), `${system} named as not read in the timeline`);
      }
      // A role that reads every source is told of none.
      const whole = await data('query($sid: ID!) { offender(sid: $sid) { timeline(first: 5) { unavailableSources } } }', { sid: story.person.sid });
      assert.deepEqual(whole.offender.timeline.unavailableSources, []);
      const told = body.errors.map((e: any) => [e.extensions.code, e.path.join('.')]);
      assert.ok(told.every(([code]: string[]) => code === 'FORBIDDEN'), JSON.stringify(body.errors));
      for (const path of ['offender.arrests', 'offender.warrants', 'offender.probation']) assert.ok(told.some(([, p]: string[]) => p === path), `${path} refused: ${JSON.stringify(told)}`);
      // Judicial's fields for tracking are not in the API: their refusals carry the API names.
      assert.doesNotMatch(JSON.stringify(body.errors), /ForTracking/);
    });

    it('runs a constant number of SQL statements per agency for 25 offenders, for fewer, and for other people', async () => {
      // Search order: last name, first name, SID (as MNI sorts); a name ending in * is a prefix.
      const key = (p: OffenderStory) => `${p.person.name.last}\u0000${p.person.name.first}\u0000${p.person.sid}`;
      // MNI matches the primary name or any recorded alias; each person appears once.
      const hit = (name: string, last: string) => (name.endsWith('*') ? last.startsWith(name.slice(0, -1)) : last === name);
      const matching = (name: string) => stories.filter((p) => [p.person.name, ...p.person.aliases].some((n) => hit(name, n.last)))
        .sort((a, b) => (key(a) < key(b) ? -1 : 1));
      // Every loader on the path runs only if someone on the page has a case and a custody: pick pages that do.
      const full = (page: OffenderStory[]) => page.some((p) => p.cases.some((c) => !c.erased)) && page.some((p) => visibleCustody(p).length > 0);
      const letters = [...new Set(stories.map((p) => `${p.person.name.last[0]}*`))].sort();
      const [many, other] = letters.filter((prefix) => matching(prefix).length > 25 && full(matching(prefix).slice(0, 25)));
      // The surname with the fewest matches (fewer than a page) whose matches still touch every loader.
      const few = [...new Set(stories.map((p) => p.person.name.last))].sort()
        .filter((name) => matching(name).length < 25 && full(matching(name)))
        .sort((a, b) => matching(a).length - matching(b).length)[0];
      assert.ok(few, 'a surname with fewer than 25 matches');
      const counts: Array<Record<string, number>> = [];
      for (const [lastName, size] of [[many, 25], [few, matching(few).length], [other, 25]] as const) {
        let body: any;
        counts.push(await statementsDuring(stack, async () => {
          body = (await stack.query(TRACKING_QUERY, { lastName })).body;
        }));
        assert.equal(body.errors, undefined, JSON.stringify(body.errors));
        assert.equal(body.data.searchOffenders.edges.length, size);
        assert.ok(body.data.searchOffenders.edges.every((e: any) => e.node.trackingStatus && e.node.timeline.edges.length <= 20));
      }
      // public-safety: search, registrations, then (after judicial answers the erased dockets
      // the disclosure guard checks, issue 9) the persons again for the entity fetch, their
      // arrests and charges; judicial: cases, their counts, warrants, orders, probation and the
      // erased dockets; correction: custody, movements, parole. Tracking reads no other
      // agency's store (any registered later runs nothing for it).
      const expected = { ...Object.fromEntries(AGENCY_SUBGRAPHS.map((entry) => [entry.name, 0])), 'public-safety': 5, judicial: 6, correction: 3 };
      for (const count of counts) assert.deepEqual(count, expected);
    });

    describe('a person known to one agency only', () => {
      it('DPS only: an arrest without a court case is ARRESTED', async () => {
        const { trackingStatus } = await offender(alone.dps.person.sid);
        const arrest = alone.dps.cases[0].arrest;
        assert.deepEqual([trackingStatus.stage, trackingStatus.since], ['ARRESTED', arrest.date]);
        assert.deepEqual(trackingStatus.basis, [{ system: 'CCH', key: arrest.trackingNumber, lastUpdated: null }]);
      });

      it('DOC only: custody with no court case visible is INCARCERATED on DOC alone', async () => {
        const { trackingStatus, timeline } = await offender(alone.doc.person.sid);
        const custody = alone.doc.custodies[0];
        assert.deepEqual([trackingStatus.stage, trackingStatus.custodyBasis, trackingStatus.since], ['INCARCERATED', 'SENTENCED', custody.admissionDate]);
        assert.deepEqual(trackingStatus.basis.map((b: any) => b.system), ['OMIS']);
        assert.deepEqual(trackingStatus.cases.map((c: any) => c.docketNumber), [custody.docketNumber]);
        assert.ok(timeline.edges.every((e: any) => e.node.source.system === 'OMIS'));
      });

      it('Judicial only: an open case without an arrest record is PRETRIAL', async () => {
        const { trackingStatus } = await offender(alone.judicial.person.sid);
        assert.deepEqual([trackingStatus.stage, trackingStatus.since], ['PRETRIAL', alone.judicial.cases[0].arraignmentDate]);
        assert.deepEqual(trackingStatus.basis.map((b: any) => `${b.system} ${b.key}`), [`CCMS ${alone.judicial.cases[0].docketNumber}`]);
      });
    });

    it('refuses unknown kinds and bad dates through the gateway with the expected form', async () => {
      const sid = stories[0].person.sid;
      const bad = async (args: string, code: string, message: RegExp) => {
        const { body } = await stack.query(`query($sid: ID!) { offender(sid: $sid) { sid timeline(${args}) { totalCount } } }`, { sid });
        assert.equal(body.errors?.[0]?.extensions?.code, code, JSON.stringify(body));
        assert.match(body.errors[0].message, message);
      };
      await bad('kinds: [BIRTHDAY]', 'GRAPHQL_VALIDATION_FAILED', /Value "BIRTHDAY" does not exist in "TimelineEventKind" enum/);
      await bad('from: "2024-05-01", to: "2024-04-01"', 'BAD_USER_INPUT', /from \(2024-05-01\) is after to \(2024-04-01\); expected from on or before to/);
      await bad('from: "2024-02-30"', 'BAD_USER_INPUT', /from "2024-02-30" is not a date; expected a real calendar date as YYYY-MM-DD/);
      await bad('first: 500', 'BAD_USER_INPUT', /first is 500; expected a whole number from 1 to 100/);
    });
  });
}

describe('offender tracking when an agency does not answer', function () {
  this.timeout(60_000);
  const stories = generateStories({ offenders: 100, seed: SEED });
  let stack: Stack;
  before(async () => {
    stack = await startStack(stories);
  });
  after(async () => {
    await stack?.stop();
  });

  it('costs the tracking fields, never the rest of the offender, and names the agency', async () => {
    const story = stories.find((s) => visibleCustody(s).length > 0)!;
    await stack.subgraphs.correction.stop();
    const { body } = await stack.query('query($sid: ID!) { offender(sid: $sid) { sid name { last } trackingStatus { stage } timeline { totalCount } } }', { sid: story.person.sid });
    assert.deepEqual(body.data.offender, { sid: story.person.sid, name: { last: story.person.name.last }, trackingStatus: null, timeline: null });
    assert.deepEqual(body.errors.map((e: any) => [e.extensions.code, e.extensions.source]), [['SUBGRAPH_UNAVAILABLE', 'correction']]);
  });
});
