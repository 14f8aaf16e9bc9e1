// Notifications end to end (issue 9): real servers over HTTP on the embedded engine. A
// warrant served, written with plain SQL in the judicial store (not through OBTS), reaches
// a webhook subscriber (signed; a receiver that fails gets it again later, once in effect)
// and an SSE subscriber of the person, and not a subscriber whose role may not see PRAWN.
// Every delivery is in the delivery audit.
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { generateStories } from '../seed/generate.ts';
import { startStack, type Stack } from './support/stack.ts';
import { freePort } from './support/ports.ts';
import { eventually, notificationsOf } from './support/events.ts';
import { auditRecipients, startNotificationWork, type NotificationWork } from '../notifications/index.ts';
import { startReceiver, type RunningReceiver } from '../notifications/receiver.ts';
import { AGENCY_SUBGRAPHS } from '../schema/subgraphs.ts';

const stories = generateStories({ offenders: 200, seed: 31 });
const erased = (docket: string | null, s: (typeof stories)[number]) => !!docket && s.cases.some((c) => c.erased && c.docketNumber === docket);
const target = stories.find((s) => s.warrants.some((w) => w.status === 'active' && !erased(w.docketNumber, s)))!;
const warrant = target.warrants.find((w) => w.status === 'active' && !erased(w.docketNumber, target))!;

const SUBSCRIBE = 'mutation($input: SubscribeInput!) { subscribe(input: $input) { subscription { id channel } secret streamUrl } }';

/** Reads an SSE stream until `want` matches an event or `ms` pass; returns the events read. */
async function readStream(url: string, token: string, want: (event: { event: string; data: any }) => boolean, ms: number): Promise<Array<{ id: string; event: string; data: any }>> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  const events: Array<{ id: string; event: string; data: any }> = [];
  try {
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const field = (name: string) => block.split('\n').find((line) => line.startsWith(`${name}: `))?.slice(name.length + 2);
        const data = field('data');
        if (!data) continue;
        const event = { id: field('id')!, event: field('event')!, data: JSON.parse(data) };
        events.push(event);
        if (want(event)) return events;
      }
    }
  } catch (error) {
    if ((error as Error).name !== 'AbortError') throw error;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return events;
}

describe('notifications through the gateway (embedded PGlite)', function () {
  this.timeout(300_000);
  let stack: Stack;
  let work: NotificationWork | undefined;
  let receiver: RunningReceiver | undefined;
  before(async () => {
    stack = await startStack(stories, { env: { SUBGRAPH_TIMEOUT_MS: '60000' } });
  });
  after(async () => {
    await work?.stop();
    await receiver?.stop();
    await stack?.stop();
  });

  it('a warrant served with SQL reaches the webhook (again after failures, once in effect) and the SSE stream, only for roles that may see PRAWN', async () => {
    const port = await freePort();
    const handle = notificationsOf(stack, [`127.0.0.1:${port}`]);
    const as = async (user: string, roles: string[]) => ({ authorization: `Bearer ${await stack.token({ user, roles, ori: 'CT0064200' })}` });
    const officer = await as('webhook-officer', ['law-enforcement']);
    const follower = await as('sse-officer', ['law-enforcement']);
    const advocate = await as('advocate', ['victim-services']);

    // The service runs first and reads the agencies' feeds to their end (the seeded history);
    // a subscription made after that is told of what comes next only.
    work = await startNotificationWork(handle, auditRecipients(stack.gateway.audit));
    const caughtUp = () => eventually(async () => {
      for (const name of AGENCY_SUBGRAPHS.map((entry) => entry.name)) {
        const end = await sql<{ n: string | null }>`SELECT max(chg_seq) AS n FROM obts_change_log`.execute(stack.stores[name].database.db);
        const at = await handle.db.selectFrom('obts_feed_cursor').select('last_seq').where('consumer', '=', `notifications-${name}`).executeTakeFirst();
        if (Number(at?.last_seq ?? 0) < Number(end.rows[0].n ?? 0)) return false;
      }
      return true;
    }, 'the notifications service to read every feed to its end', 200);
    await caughtUp();

    const hook = await stack.query(SUBSCRIBE, { input: { sid: target.person.sid, channel: 'WEBHOOK', webhookUrl: `http://127.0.0.1:${port}/obts-events` } }, officer);
    assert.equal(hook.body.errors, undefined, JSON.stringify(hook.body.errors));
    receiver = await startReceiver(hook.body.data.subscribe.secret, port);
    receiver.failNext(2); // the first two attempts fail: retried with backoff
    const sse = await stack.query(SUBSCRIBE, { input: { sid: target.person.sid, channel: 'SSE', kinds: ['WARRANT_SERVED'] } }, follower);
    assert.equal(sse.body.errors, undefined, JSON.stringify(sse.body.errors));
    const { streamUrl, secret: streamToken } = sse.body.data.subscribe;
    assert.match(streamUrl, /\/notifications\/stream$/);
    const blind = await stack.query(SUBSCRIBE, { input: { sid: target.person.sid, channel: 'SSE' } }, advocate);
    assert.equal(blind.body.errors, undefined, JSON.stringify(blind.body.errors));

    const following = readStream(streamUrl, streamToken, (e) => e.data.key === warrant.warrantNumber, 120_000);
    // An officer serves the warrant; PRAWN's own application writes it.
    await sql`update prawn.wrnt set wrnt_stat_cd = 'S', clsd_dt = '2026-11-28', last_chg_ts = '2026-11-28 10:15:00' where wrnt_no = ${warrant.warrantNumber}`
      .execute(stack.stores.judicial.database.db);

    const delivered = await eventually(async () => receiver!.events.find((e) => e.kind === 'WARRANT_SERVED' && e.key === warrant.warrantNumber), 'the webhook delivery', 200);
    assert.deepEqual(Object.keys(delivered).sort(), ['feed', 'id', 'key', 'kind', 'sequence', 'sid', 'subscription', 'system', 'time']);
    assert.deepEqual([delivered.system, delivered.sid, delivered.subscription], ['PRAWN', target.person.sid, hook.body.data.subscribe.subscription.id]);
    assert.ok(!JSON.stringify(delivered).includes(target.person.name.last), 'identifiers only, no names');
    const streamed = await following;
    const served = streamed.filter((e) => e.data.key === warrant.warrantNumber);
    assert.deepEqual(served.map((e) => [e.event, e.data.system, e.data.sid]), [['WARRANT_SERVED', 'PRAWN', target.person.sid]]);
    assert.ok(streamed.every((e) => e.event === 'WARRANT_SERVED'), 'the SSE subscription gets only the kinds it asked for');

    // The webhook's deliveries: the served warrant and nothing else (the person's history in
    // the feed came before the subscription), after three attempts (two 503s), once in effect.
    const deliveries = await eventually(async () => {
      const { body } = await stack.query('query($id: ID!) { myDeliveries(subscriptionId: $id, first: 100) { idempotencyKey kind key state attempts lastError } }', { id: hook.body.data.subscribe.subscription.id }, officer);
      return body.data.myDeliveries.every((d: any) => d.state === 'DELIVERED') ? body.data.myDeliveries : undefined;
    }, 'the dispatcher to record the delivery', 100);
    assert.deepEqual(deliveries.map((d: any) => [d.kind, d.key, d.state, d.attempts]), [['WARRANT_SERVED', warrant.warrantNumber, 'DELIVERED', 3]]);
    assert.equal(receiver.events.length, 1, JSON.stringify(receiver.events));
    // The advocate's role does not open PRAWN: nothing for them.
    const none = await stack.query('query($id: ID!) { myDeliveries(subscriptionId: $id, first: 100) { key } }', { id: blind.body.data.subscribe.subscription.id }, advocate);
    assert.equal(none.body.errors, undefined, JSON.stringify(none.body.errors));
    assert.ok(!none.body.data.myDeliveries.some((d: any) => d.key === warrant.warrantNumber), JSON.stringify(none.body.data));
    // The service loses its place and reads every feed from the start again: the person's
    // history (arrest, cases, the warrant's issue) is older than the subscription and makes
    // no delivery; the served warrant is not delivered twice.
    await work.stop();
    await handle.db.deleteFrom('obts_feed_cursor').where('consumer', 'like', 'notifications-%').execute();
    work = await startNotificationWork(handle, auditRecipients(stack.gateway.audit));
    await caughtUp();
    const again = await stack.query('query($id: ID!) { myDeliveries(subscriptionId: $id, first: 100) { kind key } }', { id: hook.body.data.subscribe.subscription.id }, officer);
    assert.deepEqual(again.body.data.myDeliveries.map((d: any) => [d.kind, d.key]), [['WARRANT_SERVED', warrant.warrantNumber]]);

    // Every attempt is in the delivery audit: 2 failed, 1 delivered for the webhook, 1 for the stream.
    await eventually(async () => (await handle.db.selectFrom('ntf_delivery_audit').select('id').where('channel', '=', 'SSE').execute()).length > 0, 'the stream delivery audit', 100);
    const audit = await handle.db.selectFrom('ntf_delivery_audit').innerJoin('ntf_delivery as d', 'd.id', 'ntf_delivery_audit.delivery_id')
      .select(['ntf_delivery_audit.channel', 'ntf_delivery_audit.outcome']).where('d.rec_key', '=', warrant.warrantNumber).orderBy('ntf_delivery_audit.id').execute();
    assert.deepEqual(audit.map((a) => `${a.channel} ${a.outcome}`).sort(), ['SSE delivered', 'WEBHOOK delivered', 'WEBHOOK failed', 'WEBHOOK failed']);
  });
});
