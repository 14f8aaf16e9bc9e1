// Security cases of the change feeds and notifications (issue 9): the feeds answer only the
// service identity and open no offender field to it; the guard's erased-docket list is not
// part of the API; subscriptions refuse bad targets, kinds and webhook URLs (no SSRF); the
// example receiver refuses forged and replayed deliveries.
import assert from 'node:assert/strict';
import { generateStories } from '../seed/generate.ts';
import { startStack, type Stack } from './support/stack.ts';
import { notificationsOf } from './support/events.ts';
import { serviceTokenSource } from '../subgraphs/shared/events/service-token.ts';
import { signature } from '../notifications/webhook.ts';
import { verifyDelivery } from '../notifications/receiver.ts';

describe('security: change feeds and notifications', function () {
  this.timeout(180_000);
  const stories = generateStories({ offenders: 40, seed: 5 });
  const sid = stories[0].person.sid;
  let stack: Stack;
  let service: Record<string, string>;
  before(async () => {
    stack = await startStack(stories);
    notificationsOf(stack, ['127.0.0.1:5711']);
    service = { authorization: `Bearer ${await serviceTokenSource('test', { OBTS_DATA_DIR: stack.dataDir })()}` };
  });
  after(async () => {
    await stack?.stop();
  });

  for (const field of ['publicSafetyChanges', 'judicialChanges', 'correctionChanges']) {
    it(`${field}: refused to every human role, answered to the service identity`, async () => {
      for (const roles of [['law-enforcement', 'prosecutor', 'parole'], ['auditor'], ['analyst']]) {
        const { body } = await stack.query(`{ ${field}(first: 5) { events { sequence } } }`, {}, { authorization: `Bearer ${await stack.token({ roles })}` });
        assert.equal(body.data?.[field] ?? null, null);
        assert.deepEqual(body.errors.map((e: any) => e.extensions.code), ['FORBIDDEN']);
      }
      const { body } = await stack.query(`{ ${field}(first: 5) { events { feed sequence kind key } endCursor } }`, {}, service);
      assert.equal(body.errors, undefined, JSON.stringify(body.errors));
      assert.equal(body.data[field].events.length, 5);
    });
  }

  it('the service identity sees no offender field', async () => {
    const { body } = await stack.query('query($sid: ID!) { offender(sid: $sid) { name { last } custody { inmateNumber } } }', { sid }, service);
    assert.ok(body.errors.length > 0);
    assert.ok(body.errors.every((e: any) => e.extensions.code === 'FORBIDDEN'), JSON.stringify(body.errors));
    assert.ok(!JSON.stringify(body.data ?? {}).includes(stories[0].person.name.last));
  });

  it('the erased-docket list of the disclosure guard, and the lists tracking requires, are not part of the API', async () => {
    for (const field of ['erasedDockets', 'casesForTracking { totalCount }', 'warrantsForTracking { warrantNumber }', 'protectiveOrdersForTracking { orderNumber }']) {
      const { status, body } = await stack.query(`query($sid: ID!) { offender(sid: $sid) { ${field} } }`, { sid });
      assert.equal(status, 400, field);
      assert.match(body.errors[0].message, new RegExp(`Cannot query field "${field.split(' ')[0]}"`));
    }
  });

  it('a feed cursor that is not one is refused with the expected form', async () => {
    const { body } = await stack.query('{ judicialChanges(after: "x1; drop table") { endCursor } }', {}, service);
    assert.equal(body.errors[0].extensions.code, 'BAD_USER_INPUT');
    assert.match(body.errors[0].message, /expected the endCursor of a previous page/);
  });

  const subscribe = 'mutation($input: SubscribeInput!) { subscribe(input: $input) { subscription { id } secret } }';
  const refusals: Array<[string, Record<string, unknown>, RegExp]> = [
    ['an unknown SID', { sid: '999999999', channel: 'SSE' }, /sid "999999999" is not known to MNI; expected/],
    ['a SID that is not one', { sid: '12AB', channel: 'SSE' }, /is not a state identification number; expected 9 digits/],
    ['no target', { channel: 'SSE' }, /exactly one target; got 0/],
    ['two targets', { sid, warrants: true, channel: 'SSE' }, /exactly one target; got 2/],
    ['kind ERASURE', { warrants: true, kinds: ['ERASURE'], channel: 'SSE' }, /kind ERASURE is not subscribable/],
    ['a court that is not one', { court: 'HARTFORD', channel: 'SSE' }, /is not a court location code; expected e.g. H12M/],
    ['a webhook without URL', { warrants: true, channel: 'WEBHOOK' }, /needs webhookUrl/],
    ['a non-http webhook', { warrants: true, channel: 'WEBHOOK', webhookUrl: 'file:///etc/passwd' }, /scheme "file:" is not allowed; expected http: or https:/],
    ['a gopher webhook', { warrants: true, channel: 'WEBHOOK', webhookUrl: 'gopher://127.0.0.1:5711/' }, /scheme "gopher:" is not allowed/],
    ['a host not allowed (cloud metadata)', { warrants: true, channel: 'WEBHOOK', webhookUrl: 'http://169.254.169.254/latest/meta-data' }, /host "169.254.169.254:80" is not an allowed webhook host/],
    ['an allowed host on another port', { warrants: true, channel: 'WEBHOOK', webhookUrl: 'http://127.0.0.1:5712/x' }, /host "127.0.0.1:5712" is not an allowed/],
    ['credentials in the URL', { warrants: true, channel: 'WEBHOOK', webhookUrl: 'http://u:p@127.0.0.1:5711/x' }, /must not carry credentials/],
  ];
  for (const [what, input, message] of refusals) {
    it(`subscribe refuses ${what} with a clear error and stores nothing`, async () => {
      const { body } = await stack.query(subscribe, { input });
      assert.equal(body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(body));
      assert.match(body.errors[0].message, message);
      assert.ok(!body.errors[0].message.includes('5711,') && !/NOTIFY_WEBHOOK_ALLOWED_HOSTS=/.test(body.errors[0].message));
      const mine = await stack.query('{ mySubscriptions { id } }');
      assert.deepEqual(mine.body.data.mySubscriptions, []);
    });
  }

  it('subscribe refuses an unknown kind (the enum) and an auditor', async () => {
    const bad = await stack.query(subscribe, { input: { warrants: true, kinds: ['PAROLE_PARTY'], channel: 'SSE' } });
    assert.equal(bad.status, 400);
    assert.match(bad.body.errors[0].message, /PAROLE_PARTY/);
    const auditor = await stack.query(subscribe, { input: { warrants: true, channel: 'SSE' } }, { authorization: `Bearer ${await stack.token({ roles: ['auditor'] })}` });
    assert.equal(auditor.body.errors[0].extensions.code, 'FORBIDDEN');
  });

  it('the notifications stream refuses a missing or made-up token', async () => {
    const base = stack.subgraphs.notifications.url.replace(/\/graphql$/, '');
    assert.equal((await fetch(`${base}/notifications/stream`)).status, 401);
    assert.equal((await fetch(`${base}/notifications/stream?token=made-up`)).status, 401);
  });

  it('the example receiver refuses forged, tampered and replayed deliveries, and takes a retry once', () => {
    const secret = 'receiver-secret';
    const body = JSON.stringify({ id: 'judicial:7:abc', kind: 'WARRANT_SERVED', system: 'PRAWN', key: 'WR-1', time: '2026-11-20T00:00:00.000Z' });
    const now = Date.now();
    const headers = (sig: string) => ({ 'x-obts-signature': sig, 'x-obts-delivery': 'judicial:7:abc' });
    const seen = new Set<string>();
    const good = verifyDelivery(secret, headers(signature(secret, body, Math.floor(now / 1000))), body, seen, now);
    assert.deepEqual(good.ok && good.duplicate, false);
    const again = verifyDelivery(secret, headers(signature(secret, body, Math.floor(now / 1000))), body, seen, now);
    assert.equal(again.ok && again.duplicate, true);
    const forged = verifyDelivery(secret, headers(signature('another-secret', body, Math.floor(now / 1000))), body, new Set(), now);
    assert.deepEqual(forged.ok ? null : [forged.status, forged.reason], [401, 'forged']);
    const tampered = verifyDelivery(secret, headers(signature(secret, body, Math.floor(now / 1000))), body.replace('WR-1', 'WR-2'), new Set(), now);
    assert.deepEqual(tampered.ok ? null : tampered.reason, 'forged');
    const replayed = verifyDelivery(secret, headers(signature(secret, body, Math.floor(now / 1000) - 3600)), body, new Set(), now);
    assert.deepEqual(replayed.ok ? null : [replayed.reason, /refused as a replay/.test(replayed.message)], ['stale', true]);
    const malformed = verifyDelivery(secret, headers('v1=zz'), body, new Set(), now);
    assert.deepEqual(malformed.ok ? null : malformed.reason, 'malformed');
  });
});
