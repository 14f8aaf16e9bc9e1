// Change events end to end (issue 9), real servers over HTTP on the embedded engine:
// a court's erasure written with SQL leaves no path of any agency at once (the guard), is
// applied by DPS and DOC in their own stores exactly once (a consumer restarted mid-stream
// neither loses nor repeats it), and sends erasure notices to the agencies the audit log
// shows received the record.
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { generateStories } from '../seed/generate.ts';
import type { OffenderStory } from '../seed/story.ts';
import { startStack, type Stack } from './support/stack.ts';
import { eventually, notificationsOf, stackEnv } from './support/events.ts';
import { startErasurePropagation } from '../subgraphs/shared/events/erasure.ts';
import { eraseDocket as dpsErase } from '../subgraphs/public-safety/store/changes.ts';
import { eraseDocket as docErase } from '../subgraphs/correction/store/changes.ts';
import { auditRecipients, startNotificationWork, type NotificationWork } from '../notifications/index.ts';
import type { RunningReceiver } from '../notifications/receiver.ts';

const stories = generateStories({ offenders: 300, seed: 9 });
// A person whose docket reached CCH, CCMS, OMIS (their latest admission, so `inmate` shows
// it) and STC: the erasure must reach all four.
const latestAdmission = (s: OffenderStory) => [...s.custodies].sort((a, b) => (a.admissionDate < b.admissionDate ? 1 : -1))[0];
const reachedAll = (s: OffenderStory, c: OffenderStory['cases'][number]) => !c.erased && !!c.arrest && latestAdmission(s)?.docketNumber === c.docketNumber
  && s.timeCalculations.some((t) => t.docketNumber === c.docketNumber);
const target = stories.find((s) => s.cases.some((c) => reachedAll(s, c)))!;
const docket = target.cases.find((c) => reachedAll(target, c))!.docketNumber;

const PROFILE = `query($sid: ID!) { offender(sid: $sid) {
  arrests { trackingNumber } custody { docketNumber } sentences { docketNumber }
  courtCases(first: 50) { edges { node { docketNumber } } }
  trackingStatus { stage summary cases { docketNumber } basis { key } }
  timeline(first: 100) { edges { node { docketNumber summary source { key } } } }
} }`;

describe('change events through the gateway (embedded PGlite)', function () {
  this.timeout(600_000);
  let stack: Stack;
  let work: NotificationWork | undefined;
  let receiver: RunningReceiver | undefined;
  before(async () => {
    // A shared CI machine can be slow: the agencies get time to answer.
    stack = await startStack(stories, { env: { SUBGRAPH_TIMEOUT_MS: '60000' } });
  });
  after(async () => {
    await work?.stop();
    await receiver?.stop();
    await stack?.stop();
  });

  it('an erasure in the judicial store leaves no path at once, is applied by DPS and DOC once, and notices the recipients', async () => {
    const viewer = { authorization: `Bearer ${await stack.token({ ori: 'CT0064200', user: 'nhpd-officer' })}` };
    const before = await stack.query(PROFILE, { sid: target.person.sid }, viewer);
    assert.ok(JSON.stringify(before.body.data).includes(docket), 'the docket is visible before the erasure');
    const inmateQuery = 'query($n: ID!) { inmate(inmateNumber: $n) { docketNumber admissionDate } }';
    const custody = latestAdmission(target);
    assert.equal((await stack.query(inmateQuery, { n: custody.inmateNumber })).body.data.inmate.docketNumber, docket, 'inmate shows the docket before');
    // The clerk erases the case in CCMS, straight in the database.
    await sql`UPDATE ccms.crim_case SET erase_flg = 'Y' WHERE dkt_no = ${docket.replace(/-/g, '')}`.execute(stack.stores.judicial.database.db);
    const guarded = await stack.query(PROFILE, { sid: target.person.sid });
    assert.equal(guarded.body.errors, undefined, JSON.stringify(guarded.body.errors));
    assert.ok(!JSON.stringify(guarded.body.data).includes(docket), `the guard withholds ${docket} from every path: ${JSON.stringify(guarded.body.data)}`);
    const arrest = target.cases.find((c) => c.docketNumber === docket)!.arrest!;
    assert.ok(!JSON.stringify(guarded.body.data).includes(arrest.trackingNumber), 'and the arrest cycle of the docket');
    for (const [query, variables] of [
      ['query($d: ID!) { courtCase(docketNumber: $d) { docketNumber correctionalSentence { docketNumber } } }', { d: docket }],
    ] as const) {
      const { body } = await stack.query(query, variables);
      assert.equal(body.data.courtCase, null);
    }

    // Notifications take in events (and erasure notices) from here on.
    work = await startNotificationWork(notificationsOf(stack), auditRecipients(stack.gateway.audit));
    // DPS and DOC apply it in their own stores; restarting a consumer repeats nothing.
    const env = stackEnv(stack);
    let dps = await startErasurePropagation('public-safety', stack.stores['public-safety'].database.db, dpsErase, env);
    const doc = await startErasurePropagation('correction', stack.stores.correction.database.db, docErase, env);
    const applied = async (name: string, consumer: string) => (await sql<{ n: number }>`SELECT count(*) AS n FROM obts_applied_change WHERE consumer = ${consumer}`.execute(stack.stores[name].database.db)).rows[0].n;
    await eventually(async () => Number(await applied('public-safety', 'public-safety-erasure')) === 1 && Number(await applied('correction', 'correction-erasure')) === 1, 'both agencies to apply the erasure');
    await dps.stop();
    await sql`DELETE FROM obts_feed_cursor WHERE consumer = 'public-safety-erasure'`.execute(stack.stores['public-safety'].database.db); // as if it crashed before saving its cursor
    dps = await startErasurePropagation('public-safety', stack.stores['public-safety'].database.db, dpsErase, env);
    await eventually(async () => (await sql<{ n: number }>`SELECT last_seq AS n FROM obts_feed_cursor WHERE consumer = 'public-safety-erasure'`.execute(stack.stores['public-safety'].database.db)).rows[0]?.n, 'the restarted consumer to read the feed again');
    assert.equal(Number(await applied('public-safety', 'public-safety-erasure')), 1, 'applied once, not twice');
    await dps.stop();
    await doc.stop();
    const dpsRows = await sql<{ ERASED_IND: string }>`SELECT "ERASED_IND" FROM "CCH_ARREST" WHERE "DKT_NO" = ${docket}`.execute(stack.stores['public-safety'].database.db);
    assert.deepEqual(dpsRows.rows.map((r) => r.ERASED_IND), ['Y']);
    const docRows = await sql<{ erase_ind: string }>`SELECT erase_ind FROM omis_adm WHERE dkt_no = ${docket} UNION ALL SELECT erase_ind FROM stc_sent_calc WHERE dkt_no = ${docket}`.execute(stack.stores.correction.database.db);
    assert.ok(docRows.rows.length >= 2 && docRows.rows.every((r) => r.erase_ind === 'Y'));
    // Once applied, DOC's root paths (which have no person to guard from) hold nothing of it either.
    const inmate = await stack.query(inmateQuery, { n: custody.inmateNumber });
    assert.equal(inmate.body.errors, undefined, JSON.stringify(inmate.body.errors));
    assert.notEqual(inmate.body.data.inmate?.docketNumber, docket);
    if (custody.releaseDate) {
      const released = await stack.query('query($from: String!, $to: String!) { releases(from: $from, to: $to, first: 100) { edges { node { docketNumber } } } }', { from: custody.releaseDate, to: custody.releaseDate });
      assert.equal(released.body.errors, undefined, JSON.stringify(released.body.errors));
      assert.ok(!JSON.stringify(released.body.data).includes(docket), 'releases');
    }
    const after = await stack.query(PROFILE, { sid: target.person.sid });
    assert.ok(!JSON.stringify(after.body.data).includes(docket), 'every path of the profile, tracking and timeline after propagation');
    // Each agency's own feed records that it applied the erasure.
    const service = { authorization: `Bearer ${await (notificationsOf(stack).settings.token)()}` };
    for (const field of ['publicSafetyChanges', 'correctionChanges']) {
      let after = '0';
      let found = false;
      for (let page = 0; page < 200 && !found; page += 1) { // bounded: the seeded log is a few thousand rows
        const { body } = await stack.query(`query($after: String) { ${field}(after: $after, first: 500, kinds: [ERASURE]) { events { kind docketNumber } endCursor hasMore } }`, { after }, service);
        found = body.data[field].events.some((e: any) => e.docketNumber === docket);
        if (!body.data[field].hasMore) break;
        after = body.data[field].endCursor;
      }
      assert.ok(found, `${field} has its own ERASURE of the docket`);
    }
    // The agency that viewed the record gets a notice naming the docket only.
    const notices = await eventually(async () => {
      const { body } = await stack.query('{ erasureNotices { docketNumber noticedAt } }', {}, viewer);
      return body.data?.erasureNotices?.length ? body.data.erasureNotices : undefined;
    }, 'the erasure notice');
    assert.deepEqual(notices.map((n: any) => Object.keys(n).sort()), [['docketNumber', 'noticedAt']]);
    assert.equal(notices[0].docketNumber, docket);
  });

  // Webhook and SSE deliveries end to end: test/notifications.test.ts.
});

export type { OffenderStory };
