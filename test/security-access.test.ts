// The security suite, access cases (issue 10, "Access" and "Cost counts what will run"):
// dissemination by purpose (C.G.S. 54-142k), sensitive parole case notes, the development
// key in production, token sanity, name-search input, /metrics, GraphiQL asset names and
// a cost limit that reads variables. Each try runs over real HTTP against the whole stack
// (or a subgraph called directly with a gateway-signed token), and what it got is recorded
// as data and compared with what the stories say it must get.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { importJWK, SignJWT, type CryptoKey } from 'jose';
import { loadGatewayConfig } from '../gateway/config.ts';
import { startGateway, type RunningGateway } from '../gateway/server.ts';
import { loadDevKey } from '../gateway/auth/dev-key.ts';
import { permissionsFor } from '../gateway/auth/policy.ts';
import { disseminationFor } from '../subgraphs/shared/dissemination.ts';
import { PURPOSE_CODES, type PurposeCode } from '../subgraphs/shared/identity.ts';
import { loadOrCreateKeyFile, type KeyFile } from '../subgraphs/shared/keys.ts';
import { gatewayKeyFile, loadGatewayKey, signSubgraphToken } from '../subgraphs/shared/trust.ts';
import { generateStories } from '../seed/generate.ts';
import type { CaseStory, ChargeStory, OffenderStory } from '../seed/story.ts';
import { startStack, type Stack } from './support/stack.ts';
import { outcomeOf, refused, type Outcome } from './support/outcome.ts';

const PROFILE = 'query Profile($sid: ID!) { offender(sid: $sid) { sid name { last first } } }';

/** SQL statements every store has run so far: unchanged means no subgraph read anything. */
const statements = (stack: Stack) => Object.values(stack.stores).reduce((sum, store) => sum + store.database.counter.total, 0);

// What the stories say a conviction-only purpose may see (54-142g(b)): the same rule the
// subgraphs apply, written here from the story's own words.
const isConvictionCharge = (charge: ChargeStory) => (charge.disposition !== null
  ? charge.disposition === 'CONVICTED'
  : charge.verdict === 'GUILTY' || charge.plea === 'GUILTY' || charge.plea === 'NOLO CONTENDERE');
const openCases = (story: OffenderStory) => story.cases.filter((kase) => !kase.erased);

/** What the dissemination query below answers, reduced to sorted identifiers. */
interface Disclosed {
  cases: string[];
  counts: string[];
  bonds: number;
  arrests: string[];
  warrants: number;
  orders: number;
  infractions: number;
  custody: string[];
  sentences: number;
  parole: number;
}

function expectedFor(story: OffenderStory, convictionOnly: boolean): Disclosed {
  const cases = openCases(story).filter((kase) => !convictionOnly || kase.charges.some(isConvictionCharge));
  const counts = (kase: CaseStory) => kase.charges.filter((charge) => !convictionOnly || isConvictionCharge(charge)).map((charge) => `${kase.docketNumber}#${charge.count}`);
  // CCH holds dispositions only (no plea or verdict): a conviction there is a CONVICTED disposition.
  const arrests = openCases(story).flatMap((kase) => {
    const charges = kase.charges.filter((charge) => !convictionOnly || charge.disposition === 'CONVICTED');
    return charges.length ? charges.map((charge) => `${kase.arrest.trackingNumber}#${charge.count}`) : [];
  });
  const erasedDockets = new Set(story.cases.filter((kase) => kase.erased).map((kase) => kase.docketNumber));
  return {
    cases: cases.map((kase) => kase.docketNumber).sort(),
    counts: cases.flatMap(counts).sort(),
    bonds: convictionOnly ? 0 : cases.length,
    arrests: arrests.sort(),
    warrants: convictionOnly ? 0 : story.warrants.filter((warrant) => !erasedDockets.has(warrant.docketNumber)).length,
    orders: convictionOnly ? 0 : story.protectiveOrders.filter((order) => !order.docketNumber || !erasedDockets.has(order.docketNumber)).length,
    infractions: convictionOnly ? 0 : story.infractions.length,
    custody: story.custodies.filter((stay) => !erasedDockets.has(stay.docketNumber) && (!convictionOnly || stay.status !== 'UNSENTENCED')).map((stay) => stay.status).sort(),
    sentences: story.timeCalculations.filter((calculation) => !erasedDockets.has(calculation.docketNumber)).length,
    parole: story.paroles.length,
  };
}

const DISSEMINATION = `query Dissemination($sid: ID!) { offender(sid: $sid) { sid
  courtCases(first: 100) { totalCount edges { node { docketNumber bond { type } charges { count } } } }
  arrests { trackingNumber charges { sequence } }
  warrants { warrantNumber } protectiveOrders { orderNumber } infractions { ticketNumber }
  custody { inmateNumber status } sentences { docketNumber } parole { caseNumber } } }`;

function disclosedOf(offender: any): Disclosed {
  const cases = offender.courtCases.edges.map((edge: any) => edge.node);
  return {
    cases: cases.map((kase: any) => kase.docketNumber).sort(),
    counts: cases.flatMap((kase: any) => kase.charges.map((charge: any) => `${kase.docketNumber}#${charge.count}`)).sort(),
    bonds: cases.filter((kase: any) => kase.bond !== null).length,
    arrests: offender.arrests.flatMap((arrest: any) => arrest.charges.map((charge: any) => `${arrest.trackingNumber}#${charge.sequence}`)).sort(),
    warrants: offender.warrants.length,
    orders: offender.protectiveOrders.length,
    infractions: offender.infractions.length,
    custody: offender.custody.map((stay: any) => stay.status).sort(),
    sentences: offender.sentences.length,
    parole: offender.parole.length,
  };
}

describe('security suite: access (issue 10)', function () {
  let stack: Stack;
  let stories: OffenderStory[];
  /** An offender with a pending case and pretrial custody; one with a case convicted on some counts only. */
  let pending: OffenderStory;
  let mixed: OffenderStory;

  before(async () => {
    stories = generateStories({ offenders: 40, seed: 3 });
    pending = stories.find((story) => openCases(story).some((kase) => kase.status === 'OPEN') && story.custodies.some((stay) => stay.status === 'UNSENTENCED'))!;
    mixed = stories.find((story) => openCases(story).some((kase) => kase.charges.some(isConvictionCharge) && kase.charges.some((charge) => !isConvictionCharge(charge))) && story.warrants.length > 0)!;
    assert.ok(pending && mixed, 'the sample lacks a pending case with pretrial custody, or a partly convicted case');
    stack = await startStack(stories);
  });
  after(async () => {
    await stack?.stop();
  });

  const as = async (purpose: string, roles = ['law-enforcement', 'prosecutor', 'parole']) => ({
    authorization: `Bearer ${await stack.token({ user: `purpose-${purpose}`, roles })}`, 'x-obts-purpose': purpose,
  });

  describe('purpose codes restrict dissemination (C.G.S. 54-142k)', () => {
    it('gives each purpose code what the policy says: C, D and R (research under agreement) everything, E F H J S V conviction information only', async () => {
      // The policy as data: every purpose code OBTS accepts, and what it receives.
      const receives = Object.fromEntries(Object.keys(PURPOSE_CODES).map((purpose) => [purpose, disseminationFor(purpose)]));
      assert.deepEqual(receives, {
        C: 'criminal-justice', D: 'criminal-justice', R: 'criminal-justice',
        E: 'conviction-only', F: 'conviction-only', H: 'conviction-only', J: 'conviction-only', S: 'conviction-only', V: 'conviction-only',
        ...Object.fromEntries(Object.keys(PURPOSE_CODES).filter((purpose) => !'CDEFHJRSV'.includes(purpose)).map((purpose) => [purpose, 'conviction-only'])),
      });
      const got: Record<string, Disclosed> = {};
      const expected: Record<string, Disclosed> = {};
      for (const purpose of Object.keys(PURPOSE_CODES) as PurposeCode[]) {
        for (const [label, story] of [['pending', pending], ['mixed', mixed]] as const) {
          const answer = await stack.query(DISSEMINATION, { sid: story.person.sid }, await as(purpose));
          assert.equal(answer.body.errors, undefined, JSON.stringify(answer.body.errors));
          got[`${purpose} ${label}`] = disclosedOf(answer.body.data.offender);
          expected[`${purpose} ${label}`] = expectedFor(story, receives[purpose] === 'conviction-only');
        }
      }
      assert.deepEqual(got, expected);
      // The rule withholds something real in this sample (else the comparison proves little).
      assert.notDeepEqual(expected['E pending'], expected['C pending']);
      assert.notDeepEqual(expected['E mixed'].counts, expected['C mixed'].counts);
      assert.ok(expected['C pending'].custody.includes('UNSENTENCED') && !expected['E pending'].custody.includes('UNSENTENCED'));
    });

    it('withholds nonconviction records looked up by their own number, and the warrant search', async () => {
      const pendingCase = openCases(pending).find((kase) => kase.status === 'OPEN')!;
      const convicted = openCases(mixed).find((kase) => kase.charges.some(isConvictionCharge))!;
      const warrant = mixed.warrants[0];
      const pretrial = pending.custodies.find((stay) => stay.status === 'UNSENTENCED')!;
      const order = stories.flatMap((story) => story.protectiveOrders.filter((candidate) => !story.cases.some((kase) => kase.erased && kase.docketNumber === candidate.docketNumber)))[0];
      assert.ok(order, 'the sample has no protective order outside an erased case');
      const LOOKUP = `query Lookup($pending: ID!, $convicted: ID!, $warrant: ID!, $inmate: ID!, $order: ID!) {
        pending: courtCase(docketNumber: $pending) { docketNumber } convicted: courtCase(docketNumber: $convicted) { docketNumber }
        protectiveOrder(orderNumber: $order) { orderNumber }
        warrant(warrantNumber: $warrant) { warrantNumber } inmate(inmateNumber: $inmate) { status }
        warrants(first: 100) { totalCount edges { node { warrantNumber } } } }`;
      const variables = { pending: pendingCase.docketNumber, convicted: convicted.docketNumber, warrant: warrant.warrantNumber, inmate: pretrial.inmateNumber, order: order.orderNumber };
      const got: Record<string, unknown> = {};
      for (const purpose of ['C', 'E', 'F']) {
        const { body } = await stack.query(LOOKUP, variables, await as(purpose));
        assert.equal(body.errors, undefined, JSON.stringify(body.errors));
        got[purpose] = { pending: body.data.pending?.docketNumber ?? null, convicted: body.data.convicted?.docketNumber ?? null, warrant: body.data.warrant?.warrantNumber ?? null, inmate: body.data.inmate?.status ?? null, order: body.data.protectiveOrder?.orderNumber ?? null, warrantSearch: body.data.warrants.totalCount > 0 };
      }
      const all = { pending: pendingCase.docketNumber, convicted: convicted.docketNumber, warrant: warrant.warrantNumber, inmate: 'UNSENTENCED', order: order.orderNumber, warrantSearch: true };
      const convictionsOnly = { pending: null, convicted: convicted.docketNumber, warrant: null, inmate: null, order: null, warrantSearch: false };
      assert.deepEqual(got, { C: all, E: convictionsOnly, F: convictionsOnly });
    });

    it('each subgraph applies the rule to the purpose in the gateway-signed token, whoever calls it', async () => {
      const key = await loadGatewayKey(gatewayKeyFile({ OBTS_DATA_DIR: stack.dataDir }));
      const roles = ['law-enforcement', 'prosecutor', 'parole'];
      const direct = async (subgraph: string, purpose: PurposeCode, query: string, variables: Record<string, unknown>) => {
        const identity = { userId: 'direct', ori: 'CT0000000', roles, permissions: permissionsFor(roles), purpose, requestId: `dissemination-${subgraph}-${purpose}` };
        const response = await fetch(stack.subgraphs[subgraph].url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${await signSubgraphToken(key, identity, subgraph)}` },
          body: JSON.stringify({ query, variables }),
        });
        const body = await response.json() as any;
        assert.equal(body.errors, undefined, JSON.stringify(body.errors));
        return body.data;
      };
      // As the gateway sends it: with the dockets judicial says are erased (the disclosure guard, issue 9).
      const r = [{ __typename: 'Offender', sid: pending.person.sid, erasedDockets: pending.cases.filter((c) => c.erased).map((c) => c.docketNumber) }];
      const probes = {
        // The fields tracking requires (not in the API) follow the same rules as the API's own.
        judicial: ['query J($r: [_Any!]!) { _entities(representations: $r) { ... on Offender { courtCases(first: 100) { edges { node { docketNumber } } } warrants { warrantNumber } protectiveOrders { orderNumber } infractions { ticketNumber } casesForTracking { edges { node { docketNumber } } } warrantsForTracking { warrantNumber } protectiveOrdersForTracking { orderNumber } } } }',
          (data: any) => {
            const o = data._entities[0];
            return { cases: o.courtCases.edges.length, warrants: o.warrants.length, orders: o.protectiveOrders.length, infractions: o.infractions.length, tracked: [o.casesForTracking.edges.length, o.warrantsForTracking.length, o.protectiveOrdersForTracking.length] };
          }],
        'public-safety': ['query P($r: [_Any!]!) { _entities(representations: $r) { ... on Offender { arrests { trackingNumber } } } }', (data: any) => ({ arrests: data._entities[0].arrests.length })],
        correction: ['query C($r: [_Any!]!) { _entities(representations: $r) { ... on Offender { custody { status } } } }', (data: any) => ({ custody: data._entities[0].custody.map((stay: any) => stay.status).sort() })],
      } as const;
      const got: Record<string, unknown> = {};
      for (const [subgraph, [query, reduce]] of Object.entries(probes)) {
        for (const purpose of ['C', 'E'] as const) got[`${subgraph} ${purpose}`] = reduce(await direct(subgraph, purpose, query, { r, sid: pending.person.sid }));
      }
      const all = expectedFor(pending, false);
      const convictions = expectedFor(pending, true);
      const arrestsOf = (disclosed: Disclosed) => new Set(disclosed.arrests.map((charge) => charge.split('#')[0])).size;
      assert.deepEqual(got, {
        'judicial C': { cases: all.cases.length, warrants: all.warrants, orders: all.orders, infractions: all.infractions, tracked: [all.cases.length, all.warrants, all.orders] },
        'judicial E': { cases: convictions.cases.length, warrants: 0, orders: 0, infractions: 0, tracked: [convictions.cases.length, 0, 0] },
        'public-safety C': { arrests: arrestsOf(all) },
        'public-safety E': { arrests: arrestsOf(convictions) },
        'correction C': { custody: all.custody },
        'correction E': { custody: convictions.custody },
      });
    });
  });

  describe('sensitive parole case notes need the protected-person permission', () => {
    it('shows a note that names a victim only to a user with por:protected-person as well as parole:case-notes', async () => {
      const story = stories.find((candidate) => candidate.paroles.some((parole) => parole.caseNotes.some((note) => note.sensitive) && parole.caseNotes.some((note) => !note.sensitive)))!;
      assert.ok(story, 'the sample has no parole case with both sensitive and ordinary notes');
      const NOTES = 'query Notes($sid: ID!) { offender(sid: $sid) { parole { caseNumber caseNotes { date text } } } }';
      const shape = async (roles: string[]) => {
        const { body } = await stack.query(NOTES, { sid: story.person.sid }, { authorization: `Bearer ${await stack.token({ user: `notes-${roles.join('+')}`, roles })}` });
        const notes = body.data.offender.parole.flatMap((parole: any) => parole.caseNotes ?? []);
        return {
          shown: notes.filter((note: any) => note.text !== null).length,
          withheld: notes.filter((note: any) => note.text === null).length,
          errors: [...new Set((body.errors ?? []).map((error: any) => `${error.extensions?.code} ${error.path.map((part: unknown) => (typeof part === 'number' ? '[]' : part)).join('.')}`))],
          victimNamed: /Victim /.test(JSON.stringify(body.data)),
        };
      };
      const notes = story.paroles.flatMap((parole) => parole.caseNotes);
      const sensitive = notes.filter((note) => note.sensitive).length;
      assert.deepEqual({ parole: await shape(['parole']), 'parole+law-enforcement': await shape(['parole', 'law-enforcement']) }, {
        parole: { shown: notes.length - sensitive, withheld: sensitive, errors: ['FORBIDDEN offender.parole.[].caseNotes.[].text'], victimNamed: false },
        'parole+law-enforcement': { shown: notes.length, withheld: 0, errors: [], victimNamed: true },
      });
    });
  });

  describe('a cut inside a fragment, for users taking turns', () => {
    it('shapes each answer by its own user\'s cut when the cut is in a fragment', async () => {
      // The gateway keeps the operation it shapes answers with per document (its operation
      // and fragment nodes: patches/@apollo+gateway). The operation here is only a spread, so
      // both users' cut documents share its node and differ in fragment Q alone: the memo
      // must tell them apart by the fragments.
      const story = stories.find((candidate) => candidate.paroles.some((parole) => parole.caseNotes.length > 0))!;
      const QUERY = 'query Turns($sid: ID!) { ...Q } fragment Q on Query { offender(sid: $sid) { sid parole { caseNumber caseNotes { date } } } }';
      const headers = async (roles: string[]) => ({ authorization: `Bearer ${await stack.token({ user: `turns-${roles.join('+')}`, roles })}` });
      const [allowed, denied] = [await headers(['parole']), await headers(['law-enforcement'])];
      const shape = (body: any) => ({
        notes: body.data.offender.parole.map((parole: any) => (parole.caseNotes === null ? null : parole.caseNotes.length)),
        errors: [...new Set((body.errors ?? []).map((error: any) => `${error.extensions?.code} ${error.path.map((part: unknown) => (typeof part === 'number' ? '[]' : part)).join('.')}`))],
      });
      const got = [];
      for (const turn of [denied, allowed, denied, allowed]) got.push(shape((await stack.query(QUERY, { sid: story.person.sid }, turn)).body));
      const counts = story.paroles.map((parole) => parole.caseNotes.length);
      const open = { notes: counts, errors: [] };
      const cut = { notes: counts.map(() => null), errors: ['FORBIDDEN offender.parole.[].caseNotes'] };
      assert.deepEqual(got, [cut, open, cut, open]);
    });
  });

  describe('the door: development key and token sanity (IA-2, IA-5, SI-10)', () => {
    /** Production gateways over a key set file, and over a key set URL. */
    const production: Record<'file' | 'url', RunningGateway | undefined> = { file: undefined, url: undefined };
    let jwksServer: http.Server;
    let idpKey: KeyFile;
    let devKey: KeyFile;
    before(async () => {
      idpKey = await loadOrCreateKeyFile(path.join(stack.dataDir, 'idp-access', 'key.json'), 'ct-idp-', 'test identity provider');
      devKey = await loadDevKey(stack.dataDir);
      // The configured set holds the identity provider's key and the development key twice:
      // under its own kid and copied under a kid that looks like the provider's.
      const jwks = { keys: [...idpKey.publicJwks.keys, ...devKey.publicJwks.keys, { ...devKey.publicJwks.keys[0], kid: 'ct-idp-copy' }] };
      const jwksFile = path.join(stack.dataDir, 'idp-access', 'jwks.json');
      writeFileSync(jwksFile, JSON.stringify(jwks));
      jwksServer = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks)));
      await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
      const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks.json`;
      const subgraphUrls = Object.fromEntries(Object.entries(stack.subgraphs).map(([name, running]) => [name, running.url]));
      const env = { OBTS_MODE: 'production', OBTS_DATA_DIR: stack.dataDir, OBTS_AUTH_ISSUER: 'https://idp.ct.example', OBTS_AUTH_AUDIENCE: 'obts', GATEWAY_RATE_LIMIT: '0' };
      production.file = await startGateway({ ...loadGatewayConfig({ ...env, OBTS_AUTH_JWKS_FILE: jwksFile }), port: 0, subgraphUrls });
      production.url = await startGateway({ ...loadGatewayConfig({ ...env, OBTS_AUTH_JWKS_URL: jwksUrl }), port: 0, subgraphUrls });
    });
    after(async () => {
      await production.file?.stop();
      await production.url?.stop();
      await new Promise((resolve) => jwksServer?.close(resolve));
    });
    const ask = async (url: string, authorization: string) => {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-obts-purpose': 'C', authorization }, body: JSON.stringify({ query: PROFILE, variables: { sid: mixed.person.sid } }) });
      return outcomeOf({ status: response.status, body: await response.json() });
    };
    /** A token signed with `keys`, with the protected header given (kid or none); `iat` unless told not to. */
    const signed = async (keys: KeyFile, header: { kid?: string }, options: { issuer?: string; issuedAt?: boolean } = {}) => {
      const jwt = new SignJWT({ ori: 'CT0064200', roles: ['analyst'], cert_exp: Math.floor(Date.now() / 1000) + 86_400, purpose: 'C' })
        .setProtectedHeader({ alg: 'ES256', typ: 'JWT', ...header })
        .setSubject('prod-user').setIssuer(options.issuer ?? 'https://idp.ct.example').setAudience('obts').setExpirationTime(Math.floor(Date.now() / 1000) + 3600);
      if (options.issuedAt !== false) jwt.setIssuedAt();
      return jwt.sign(await importJWK(keys.privateJwk, 'ES256') as CryptoKey);
    };

    it('refuses a development-key token in production however it is presented (by key thumbprint)', async () => {
      const got: Record<string, Outcome> = {};
      for (const [setting, gateway] of Object.entries(production)) {
        got[`${setting}: dev key, its own kid`] = await ask(gateway!.url, `Bearer ${await signed(devKey, { kid: devKey.privateJwk.kid })}`);
        got[`${setting}: dev key, no kid`] = await ask(gateway!.url, `Bearer ${await signed(devKey, {})}`);
        got[`${setting}: dev key, the copy's kid`] = await ask(gateway!.url, `Bearer ${await signed(devKey, { kid: 'ct-idp-copy' })}`);
        got[`${setting}: dev key, the provider's kid`] = await ask(gateway!.url, `Bearer ${await signed(devKey, { kid: idpKey.privateJwk.kid })}`);
        got[`${setting}: provider key, no kid`] = await ask(gateway!.url, `Bearer ${await signed(idpKey, {})}`);
        got[`${setting}: provider key, its kid`] = await ask(gateway!.url, `Bearer ${await signed(idpKey, { kid: idpKey.privateJwk.kid })}`);
      }
      const expected = (setting: string): Record<string, Outcome> => ({
        // The development kid is refused by name; every other presentation by the key itself:
        // a development key is never a candidate, so its signature verifies against nothing.
        [`${setting}: dev key, its own kid`]: refused(401, 'UNAUTHENTICATED', 'unknown-key'),
        [`${setting}: dev key, no kid`]: refused(401, 'UNAUTHENTICATED', 'bad-signature'),
        [`${setting}: dev key, the copy's kid`]: refused(401, 'UNAUTHENTICATED', 'unknown-key'),
        [`${setting}: dev key, the provider's kid`]: refused(401, 'UNAUTHENTICATED', 'bad-signature'),
        [`${setting}: provider key, no kid`]: { status: 200, data: true },
        [`${setting}: provider key, its kid`]: { status: 200, data: true },
      });
      assert.deepEqual(got, { ...expected('file'), ...expected('url') });
    });

    it('refuses insane tokens with a reason, and takes the Bearer scheme in any case', async () => {
      const token = (claims: Parameters<Stack['token']>[0]) => stack.token(claims);
      const before = statements(stack);
      const attempts: Record<string, string> = {
        'iat an hour in the future': `Bearer ${await token({ issuedAt: new Date(Date.now() + 3600_000) })}`,
        'lifetime of 7 days': `Bearer ${await token({ ttlSeconds: 7 * 86_400 })}`,
        'sub of 300 characters': `Bearer ${await token({ user: 'u'.repeat(300) })}`,
        'a role of 300 characters': `Bearer ${await token({ roles: ['law-enforcement', 'x'.repeat(300)] })}`,
        'a number among the roles': `Bearer ${await token({ roles: ['law-enforcement', 7 as unknown as string] })}`,
        'roles as an object': `Bearer ${await token({ roles: { admin: true } as unknown as string[] })}`,
        'no iat': `Bearer ${await signed(devKey, { kid: devKey.privateJwk.kid }, { issuer: 'obts-development-idp', issuedAt: false })}`,
      };
      const got: Record<string, Outcome> = {};
      for (const [name, authorization] of Object.entries(attempts)) got[name] = await ask(stack.gateway.url, authorization);
      const good = await token({});
      for (const scheme of ['bearer', 'BEARER', 'Bearer']) got[`scheme "${scheme}"`] = await ask(stack.gateway.url, `${scheme} ${good}`);
      assert.deepEqual(got, {
        'iat an hour in the future': refused(401, 'UNAUTHENTICATED', 'issued-in-future'),
        'lifetime of 7 days': refused(401, 'UNAUTHENTICATED', 'lifetime-too-long'),
        'sub of 300 characters': refused(401, 'UNAUTHENTICATED', 'claim-too-long'),
        'a role of 300 characters': refused(401, 'UNAUTHENTICATED', 'claim-too-long'),
        'a number among the roles': refused(401, 'UNAUTHENTICATED', 'malformed-claims'),
        'roles as an object': refused(401, 'UNAUTHENTICATED', 'malformed-claims'),
        'no iat': refused(401, 'UNAUTHENTICATED', 'no-issued-at'),
        'scheme "bearer"': { status: 200, data: true },
        'scheme "BEARER"': { status: 200, data: true },
        'scheme "Bearer"': { status: 200, data: true },
      });
      const future = await stack.query(PROFILE, { sid: mixed.person.sid }, { authorization: attempts['iat an hour in the future'] });
      assert.match(future.body.errors[0].message, /in the future; expected an issue time no later than now/);
      // The first seven were refused at the door; only the three good ones read anything.
      assert.ok(statements(stack) > before);
    });
  });

  describe('name search input (SI-10)', () => {
    const SEARCH = 'query Search($last: String!) { searchOffenders(lastName: $last, first: 100) { totalCount } }';
    it('refuses characters outside the name alphabet, saying what is allowed, and folds diacritics', async () => {
      const last = mixed.person.name.last; // stored upper case, A-Z
      const accented = last.replace(/[AEIOU]/, (vowel) => ({ A: 'Á', E: 'É', I: 'Í', O: 'Ö', U: 'Ü' })[vowel]!);
      assert.notEqual(accented, last, `the sample name ${last} has no vowel to accent`);
      const before = statements(stack);
      const got: Record<string, string> = {};
      for (const value of ['SMITH中', 'S中*', 'SM1TH', 'SMITH<script>', 'ROBERT\u0000S', 'S*MITH', "O'BRIEN-DÍAZ"]) {
        const { body } = await stack.query(SEARCH, { last: value });
        got[value] = body.errors ? `${body.errors[0].extensions.code}: ${body.errors[0].message}` : 'searched';
      }
      const expected = (value: string, shown: string) => `BAD_USER_INPUT: lastName "${value}" is not a name; expected letters A-Z (diacritics fold to their base letter: É → E), apostrophe, hyphen, period and space, e.g. SMITH or O'BRIEN-DÍAZ, and ${shown}`;
      assert.deepEqual(got, {
        'SMITH中': expected('SMITH中', '"中" (U+4E2D) is none of these'),
        'S中*': expected('S中*', '"中" (U+4E2D) is none of these'),
        SM1TH: expected('SM1TH', '"1" (U+0031) is none of these'),
        'SMITH<script>': expected('SMITH<script>', '"<" (U+003C), ">" (U+003E) are none of these'),
        'ROBERT\u0000S': expected('ROBERT\u0000S', '"\u0000" (U+0000) is none of these'),
        'S*MITH': expected('S*MITH', '"*" (U+002A) is none of these'),
        "O'BRIEN-DÍAZ": 'searched',
      });
      const plain = await stack.query(SEARCH, { last });
      const folded = await stack.query(SEARCH, { last: accented });
      assert.ok(plain.body.data.searchOffenders.totalCount >= 1);
      assert.deepEqual({ [accented]: folded.body.data.searchOffenders.totalCount }, { [accented]: plain.body.data.searchOffenders.totalCount });
      assert.ok(statements(stack) > before);
    });

    it('counts matches up to a bound through the gateway, and refuses a bound outside 1 to 100000, saying so', async () => {
      const COUNT = 'query Count($last: String!, $atMost: Int) { searchOffenders(lastName: $last, first: 1) { totalCount matchCount(atMost: $atMost) { count exact } } }';
      const prefix = `${mixed.person.name.last.slice(0, 1)}*`;
      const all = (await stack.query(COUNT, { last: prefix, atMost: 100_000 })).body.data.searchOffenders;
      assert.ok(all.totalCount >= 2, `${prefix} matches at least two people`);
      assert.deepEqual(all.matchCount, { count: all.totalCount, exact: true });
      const cut = (await stack.query(COUNT, { last: prefix, atMost: all.totalCount - 1 })).body.data.searchOffenders.matchCount;
      assert.deepEqual(cut, { count: all.totalCount - 1, exact: false });
      const refused: Record<string, string> = {};
      for (const atMost of [0, -5, 100_001]) {
        const { body } = await stack.query(COUNT, { last: prefix, atMost });
        refused[atMost] = `${body.errors?.[0]?.extensions?.code}: ${body.errors?.[0]?.message}`;
      }
      assert.deepEqual(refused, {
        0: 'BAD_USER_INPUT: atMost is 0; expected a whole number from 1 to 100000',
        '-5': 'BAD_USER_INPUT: atMost is -5; expected a whole number from 1 to 100000',
        100001: 'BAD_USER_INPUT: atMost is 100001; expected a whole number from 1 to 100000',
      });
    });
  });

  describe('/metrics and static assets (CM-7, SI-11)', () => {
    it('serves /metrics only on its own loopback listener, without the runtime version, with operation names bounded', async () => {
      const base = stack.gateway.url.replace(/\/graphql$/, '');
      // Many client-chosen operation names (cheap: answered by the gateway alone).
      for (let n = 0; n < 205; n += 1) await stack.query(`query Probe${n} { __typename }`);
      const onGraphqlPort = (await fetch(`${base}/metrics`)).status;
      const metrics = await fetch(stack.gateway.metricsUrl);
      const text = await metrics.text();
      const operations = new Set([...text.matchAll(/obts_graphql_requests_total\{operation="([^"]+)"/g)].map((match) => match[1]));
      assert.deepEqual({
        onGraphqlPort,
        metricsStatus: metrics.status,
        loopback: new URL(stack.gateway.metricsUrl).hostname,
        runtimeVersion: /nodejs_version_info|v\d+\.\d+\.\d+/.test(text),
        boundedNames: operations.size <= 201 && operations.has('other'),
        counts: /obts_graphql_requests_total\{operation="Probe0",outcome="ok"\} 1/.test(text),
      }, { onGraphqlPort: 404, metricsStatus: 200, loopback: '127.0.0.1', runtimeVersion: false, boundedNames: true, counts: true });
      assert.equal((await fetch(stack.gateway.metricsUrl.replace(/\/metrics$/, '/graphql'))).status, 404);
    });

    it('answers 404, never 500, for asset names that are properties of every object', async () => {
      const base = stack.gateway.url.replace(/\/graphql$/, '');
      const got: Record<string, number> = {};
      for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'graphiql.js']) got[name] = (await fetch(`${base}/graphiql/assets/${name}`)).status;
      assert.deepEqual(got, { __proto__: 404, constructor: 404, toString: 404, hasOwnProperty: 404, valueOf: 404, __defineGetter__: 404, 'graphiql.js': 200 } as Record<string, number>);
    });
  });

  describe('answers are not kept by browsers or proxies', () => {
    it('marks every /graphql answer no-store: data, a refused token, a body that is not JSON', async () => {
      const post = (headers: Record<string, string>, body: string) => fetch(stack.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      const data = await post(await as('C'), JSON.stringify({ query: 'query($sid: ID!) { offender(sid: $sid) { sid name { last } } }', variables: { sid: pending.person.sid } }));
      const answered = await data.json() as { data?: { offender?: { sid: string } } };
      const refused = await post({ authorization: 'Bearer not-a-token' }, JSON.stringify({ query: '{ __typename }' }));
      const broken = await post(await as('C'), '{"query": ');
      assert.deepEqual({
        sid: answered.data?.offender?.sid,
        statuses: [data.status, refused.status, broken.status],
        cacheControl: [data, refused, broken].map((response) => response.headers.get('cache-control')),
      }, { sid: pending.person.sid, statuses: [200, 401, 400], cacheControl: ['no-store', 'no-store', 'no-store'] });
    });
  });

  describe('cost counts what will run (SC-5)', () => {
    // A search page whose cases are pages too: 100 × 100 is far over the limit, 5 × 5 is not.
    const PAGES = 'query Pages($n: Int) { searchOffenders(lastName: "SMITH", first: $n) { edges { node { sid name { last first } courtCases(first: $n) { edges { node { docketNumber charges { statute description } } } } } } } }';
    const literal = (n: number) => PAGES.replace('query Pages($n: Int)', 'query Pages').replace(/\$n/g, String(n));
    const aliased = (count: number, first: string) => `query Aliases($n: Int) { ${Array.from({ length: count }, (_, i) => `a${i}: searchOffenders(lastName: "SMITH"${first}) { edges { node { courtCases(first: $n) { edges { node { docketNumber charges { statute description } } } } } } }`).join(' ')} }`;

    it('refuses a page size given as a variable, a variable default or a schema default exactly as the literal', async () => {
      const before = statements(stack);
      const tries: Record<string, [string, Record<string, unknown>]> = {
        'literal first: 100': [literal(100), {}],
        'variable n = 100': [PAGES, { n: 100 }],
        'variable default $n: Int = 100': [PAGES.replace('($n: Int)', '($n: Int = 100)'), {}],
        '15 aliases, first: $n, n = 100': [aliased(15, ', first: $n'), { n: 100 }],
        '15 aliases, no first (schema default 20), n = 20': [aliased(15, ''), { n: 20 }],
      };
      const got: Record<string, string> = {};
      for (const [name, [query, variables]] of Object.entries(tries)) {
        const { status, body } = await stack.query(query, variables);
        got[name] = `${status} ${body.errors?.[0]?.extensions?.code ?? 'ok'} ${body.data ? 'data' : 'no data'}: ${(body.errors?.[0]?.message ?? '').replace(/found \d+\..*$/, 'found more.')}`;
      }
      const refusedText = `400 QUERY_LIMIT_EXCEEDED no data: Query refused: Query Cost limit of ${loadGatewayConfig({}).limits.maxCost} exceeded, found more.`;
      assert.deepEqual(got, Object.fromEntries(Object.keys(tries).map((name) => [name, refusedText])));
      assert.equal(statements(stack), before, 'a refused query reached a store');
      const audited = (await stack.gateway.audit.readAll()).filter((record) => record.operationName === 'Aliases').at(-1)!;
      assert.deepEqual([audited.outcome, audited.reason], ['refused', 'QUERY_LIMIT_EXCEEDED']);
    });

    it('weighs the rows a bounded count reads: fifteen counts to 100 000 are refused before any store, one count to 1 000 is answered', async () => {
      const counts = (aliases: number) => `query Counts($b: Int) { ${Array.from({ length: aliases }, (_, i) => `c${i}: searchOffenders(lastName: "S*", first: 1) { matchCount(atMost: $b) { count exact } }`).join(' ')} }`;
      const before = statements(stack);
      const refused = await stack.query(counts(15), { b: 100_000 });
      assert.deepEqual([refused.status, refused.body.errors?.[0]?.extensions?.code, refused.body.data ?? null], [400, 'QUERY_LIMIT_EXCEEDED', null]);
      assert.match(refused.body.errors[0].message, /Query Cost limit of \d+ exceeded, found \d+/);
      // And it says what to change: the field that weighs most, and what is expected.
      assert.match(refused.body.errors[0].message, /Most of it is OffenderConnection\.matchCount\(atMost: 100000\), about \d+; expected an estimated cost of at most \d+: ask for a lower atMost/);
      assert.equal(statements(stack), before, 'a refused count reached a store');
      const answered = await stack.query(counts(1), { b: 1000 });
      assert.equal(answered.status, 200);
      assert.equal(typeof answered.body.data.c0.matchCount.count, 'number');
    });

    it('still answers the same query with small pages, by variable or literal', async () => {
      const got: Record<string, string> = {};
      for (const [name, [query, variables]] of Object.entries({ 'variable n = 5': [PAGES, { n: 5 }], 'literal first: 5': [literal(5), {}] } as Record<string, [string, Record<string, unknown>]>)) {
        const { status, body } = await stack.query(query, variables);
        got[name] = `${status} ${body.errors ? body.errors[0].extensions.code : 'ok'}`;
      }
      assert.deepEqual(got, { 'variable n = 5': '200 ok', 'literal first: 5': '200 ok' });
    });
  });
});
