// The security suite (issue 3): every way in that must be refused, tried over real HTTP
// against the whole stack, with what each attempt got recorded as data and compared with
// what it should get. CJIS Security Policy: IA-2 (authentication), AC-3/AC-6 (access),
// AT-2/AT-3 (certified users only), AU-2/AU-3/AU-9 (audit), SC-7 (boundary).
import { observeSubgraphCalls } from '../gateway/subgraph-fetch.ts';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { loadGatewayConfig } from '../gateway/config.ts';
import { startGateway } from '../gateway/server.ts';
import { freshPostgresDatabase } from './support/databases.ts';
import type { RunningGateway } from '../gateway/server.ts';
import { issueDevToken, loadDevKey } from '../gateway/auth/dev-key.ts';
import { loadOrCreateKeyFile, type KeyFile } from '../subgraphs/shared/keys.ts';
import { GATEWAY_JWKS_PATH, gatewayKeyFile, loadGatewayKey, signSubgraphToken } from '../subgraphs/shared/trust.ts';
import { startSubgraph } from '../subgraphs/shared/server.ts';
import { MODULES } from '../subgraphs/index.ts';
import { PERMISSIONS, ROLES, permissionsFor } from '../gateway/auth/policy.ts';
import { generateStories } from '../seed/generate.ts';
import type { OffenderStory } from '../seed/story.ts';
import { startStack, type Stack } from './support/stack.ts';

const PROFILE = 'query Profile($sid: ID!) { offender(sid: $sid) { sid name { last first } } }';

/** The first synthetic offender (seed 3, after the first 40) whose story touches every protected field class. */
function fullStory(): OffenderStory {
  for (let start = 40; start < 20_000; start += 1) {
    const [story] = generateStories({ offenders: 1, seed: 3, start });
    if (story.registration && story.protectiveOrders.some((order) => order.protectedPersons.length) && story.paroles.some((parole) => parole.caseNotes.length)) return story;
  }
  throw new Error('no synthetic offender with a registration, protected persons and parole case notes in the first 20 000');
}

/** What one attempt got: HTTP status, the first error's code and reason, whether data came back. */
interface Outcome { status: number; code?: string; reason?: string; data: boolean }

function outcomeOf({ status, body }: { status: number; body: any }): Outcome {
  const error = body?.errors?.[0];
  return {
    status,
    ...(error ? { code: error.extensions?.code, ...(error.extensions?.reason ? { reason: error.extensions.reason } : {}) } : {}),
    data: Boolean(body?.data && Object.values(body.data).some((value) => value !== null)),
  };
}

/** SQL statements every store has run so far: unchanged means no subgraph read anything. */
const statements = (stack: Stack) => Object.values(stack.stores).reduce((sum, store) => sum + store.database.counter.total, 0);

describe('security suite', function () {
  let stack: Stack;
  let stories: OffenderStory[];
  let sid: string;

  before(async () => {
    // 40 offenders, plus one whose story touches every protected field class (registration
    // address, protected persons, parole case notes).
    stories = [...generateStories({ offenders: 40, seed: 3 }), fullStory()];
    sid = stories[5].person.sid;
    stack = await startStack(stories);
  });
  after(async () => {
    await stack?.stop();
  });

  describe('authentication at the door (IA-2, AT-2/AT-3)', () => {
    it('refuses every bad credential before any subgraph is called', async () => {
      const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
      const good = await stack.token();
      const [head, payload] = good.split('.');
      const tamperedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), roles: ['prosecutor'] })).toString('base64url');
      const attempts: Record<string, Record<string, string>> = {
        'no token': { authorization: '' },
        'not a bearer token': { authorization: 'Basic c29tZW9uZTpwYXNzd29yZA==' },
        'forged payload (roles changed, old signature)': { authorization: `Bearer ${head}.${tamperedPayload}.${good.split('.')[2]}` },
        'alg none': { authorization: `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.` },
        'wrong issuer': bearer(await stack.token({ issuer: 'https://login.example.org' })),
        'wrong audience': bearer(await stack.token({ audience: 'another-system' })),
        'expired (replayed after its lifetime)': bearer(await stack.token({ issuedAt: new Date(Date.now() - 9 * 3600_000) })),
        'lapsed certification': bearer(await stack.token({ certifiedUntil: new Date('2026-01-15T00:00:00Z') })),
        'unknown role': bearer(await stack.token({ roles: ['superuser'] })),
        'no purpose code': { ...bearer(await stack.token({ purpose: undefined })), 'x-obts-purpose': '' },
        'invalid purpose code': { ...bearer(good), 'x-obts-purpose': 'Q' },
      };
      const before = statements(stack);
      const got: Record<string, Outcome> = {};
      for (const [name, headers] of Object.entries(attempts)) got[name] = outcomeOf(await stack.query(PROFILE, { sid }, headers));
      const refused = (status: number, code: string, reason: string): Outcome => ({ status, code, reason, data: false });
      assert.deepEqual(got, {
        'no token': refused(401, 'UNAUTHENTICATED', 'no-token'),
        'not a bearer token': refused(401, 'UNAUTHENTICATED', 'malformed-token'),
        'forged payload (roles changed, old signature)': refused(401, 'UNAUTHENTICATED', 'bad-signature'),
        'alg none': refused(401, 'UNAUTHENTICATED', 'malformed-token'),
        'wrong issuer': refused(401, 'UNAUTHENTICATED', 'wrong-issuer'),
        'wrong audience': refused(401, 'UNAUTHENTICATED', 'wrong-audience'),
        'expired (replayed after its lifetime)': refused(401, 'UNAUTHENTICATED', 'token-expired'),
        'lapsed certification': refused(403, 'FORBIDDEN', 'certification-lapsed'),
        'unknown role': refused(403, 'FORBIDDEN', 'unknown-role'),
        'no purpose code': refused(403, 'FORBIDDEN', 'no-purpose'),
        'invalid purpose code': refused(403, 'FORBIDDEN', 'invalid-purpose'),
      });
      assert.equal(statements(stack), before, 'a refused request reached a store');
    });

    it('answers a certified user with a purpose, and says what was expected when refusing', async () => {
      const ok = await stack.query(PROFILE, { sid });
      assert.equal(ok.status, 200);
      assert.equal(ok.body.data.offender.sid, sid);
      const refused = await stack.query(PROFILE, { sid }, { authorization: '' });
      assert.match(refused.body.errors[0].message, /expected "Authorization: Bearer <JWT>"/);
    });

    it('keeps /health, /ready and GraphiQL open, and GraphiQL carries a working token in development', async () => {
      const base = stack.gateway.url.replace(/\/graphql$/, '');
      const got = Object.fromEntries(await Promise.all(['/health', '/ready', '/graphiql', '/graphiql/assets/graphiql.js'].map(async (route) => [route, (await fetch(base + route)).status])));
      assert.deepEqual(got, { '/health': 200, '/ready': 200, '/graphiql': 200, '/graphiql/assets/graphiql.js': 200 });
      const page = await (await fetch(`${base}/graphiql`)).text();
      const token = /Bearer ([\w-]+\.[\w-]+\.[\w-]+)/.exec(page)?.[1];
      assert.ok(token, 'the page has no token in its header editor');
      const answer = await stack.query(PROFILE, { sid }, { authorization: `Bearer ${token}` });
      assert.equal(answer.body.data?.offender?.sid, sid);
    });
  });

  describe('subgraph trust (SC-7, IA-3)', () => {
    /** Runs one gateway request while recording every call the gateway makes to a subgraph. */
    async function recordSubgraphCalls(headers: Record<string, string> = {}): Promise<Array<{ url: string; headers: Record<string, string> }>> {
      const calls: Array<{ url: string; headers: Record<string, string> }> = [];
      const subgraphUrls = Object.values(stack.subgraphs).map((running) => running.url);
      const stop = observeSubgraphCalls(({ url, headers: sent }) => {
        if (subgraphUrls.includes(url)) calls.push({ url, headers: Object.fromEntries(Object.entries(sent).map(([name, value]) => [name.toLowerCase(), value])) });
      });
      try {
        const answer = await stack.query('query P($sid: ID!) { offender(sid: $sid) { sid name { last } warrants { warrantNumber } custody { status } } }', { sid }, headers);
        assert.equal(answer.status, 200);
      } finally {
        stop();
      }
      return calls;
    }

    const post = async (url: string, authorization?: string) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify({ query: '{ _service { sdl } }' }),
      });
      return outcomeOf({ status: response.status, body: await response.json() });
    };

    it('sends each subgraph its own fresh token and forwards none of the client\'s identity headers', async () => {
      const calls = await recordSubgraphCalls({ 'x-obts-user': 'admin', 'x-forwarded-user': 'admin', 'x-user-roles': 'auditor', cookie: 'session=1' });
      const names = (url: string) => Object.entries(stack.subgraphs).find(([, running]) => running.url === url)![0];
      assert.deepEqual([...new Set(calls.map((call) => names(call.url)))].sort(), ['correction', 'judicial', 'public-safety']);
      for (const call of calls) {
        assert.deepEqual(Object.keys(call.headers).filter((name) => /user|role|cookie|forwarded|purpose/.test(name)), [], `forwarded to ${call.url}`);
        const claims = JSON.parse(Buffer.from(call.headers.authorization.split('.')[1], 'base64url').toString());
        assert.equal(claims.aud, names(call.url));
        assert.equal(claims.sub, 'stack-test-user');
        assert.ok(claims.exp - claims.iat <= 30, 'subgraph tokens live 30 s at most');
      }
      assert.notEqual(calls[0].headers.authorization, stack.authHeaders.authorization, 'the user token itself went to a subgraph');
    });

    it('refuses direct calls to a subgraph: no token, a user token, a replayed or misdirected gateway token', async () => {
      const calls = await recordSubgraphCalls();
      const captured = calls.find((call) => call.url === stack.subgraphs.judicial.url)!.headers.authorization;
      const { judicial, correction } = stack.subgraphs;
      const got = {
        'no token': await post(judicial.url),
        "the user's own token": await post(judicial.url, stack.authHeaders.authorization),
        'a captured gateway token, replayed': await post(judicial.url, captured),
        "judicial's gateway token used on correction": await post(correction.url, captured),
        'a token signed with the development user key': await post(judicial.url, `Bearer ${await stack.token({ audience: 'judicial', issuer: 'obts-gateway' })}`),
      };
      const refused = (reason: string): Outcome => ({ status: 401, code: 'UNAUTHENTICATED', reason, data: false });
      assert.deepEqual(got, {
        'no token': refused('no-token'),
        "the user's own token": refused('invalid-token'),
        'a captured gateway token, replayed': refused('replayed'),
        "judicial's gateway token used on correction": refused('wrong-audience'),
        'a token signed with the development user key': refused('invalid-token'),
      });
    });
  });

  describe('subgraph trust across hosts (OBTS_GATEWAY_JWKS_URL)', () => {
    it('a subgraph that fetches the gateway\'s published key set accepts its calls and refuses others', async () => {
      const base = stack.gateway.url.replace(/\/graphql$/, '');
      const published = await (await fetch(`${base}${GATEWAY_JWKS_PATH}`)).json() as { keys: Array<Record<string, unknown>> };
      assert.deepEqual(published.keys.map((key) => [key.kty, key.alg, 'd' in key]), [['OKP', 'EdDSA', false]], 'the published set must hold the public (Ed25519) key only');
      const remote = await startSubgraph(MODULES.correction, stack.stores.correction, { port: 0, trust: { jwksUrl: `${base}${GATEWAY_JWKS_PATH}` } });
      try {
        const key = await loadGatewayKey(gatewayKeyFile({ OBTS_DATA_DIR: stack.dataDir }));
        const identity = { userId: 'remote', ori: 'CT0000000', roles: ['analyst'], permissions: ['omis:read'], purpose: 'C' as const, requestId: 'remote-probe' };
        const ask = async (authorization?: string) => {
          const response = await fetch(remote.url, { method: 'POST', headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) }, body: JSON.stringify({ query: '{ _service { sdl } }' }) });
          return { status: response.status, ok: Boolean(((await response.json()) as any).data?._service?.sdl) };
        };
        assert.deepEqual({ signed: await ask(`Bearer ${await signSubgraphToken(key, identity, 'correction')}`), unsigned: await ask() }, { signed: { status: 200, ok: true }, unsigned: { status: 401, ok: false } });
      } finally {
        await remote.stop();
      }
    });
  });

  describe('audit (AU-2, AU-3, AU-9)', () => {
    const run = promisify(execFile);
    /** Runs `npm run audit -- …` (the script itself) against an audit log file. */
    const auditCli = async (file: string, ...args: string[]) => {
      try {
        const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/audit.ts', ...args, '--user', 'suite-auditor'], { env: { ...process.env, OBTS_DATA_DIR: stack.dataDir, AUDIT_LOG_FILE: file, AUDIT_DATABASE_URL: '' } });
        return { code: 0, stdout };
      } catch (error) {
        return { code: (error as { code: number }).code, stdout: (error as { stdout: string }).stdout };
      }
    };
    const records = async () => stack.gateway.audit.readAll();

    it('writes one record per operation and per refusal, with who, why, what, which agencies and which offenders', async () => {
      const other = stories[9].person.sid;
      const openCase = stories.flatMap((story) => story.cases.filter((c) => !c.erased).map((c) => ({ sid: story.person.sid, docket: c.docketNumber })))[0];
      const tries: Record<string, [string, Record<string, unknown>, Record<string, string>]> = {
        profile: ['query Profile($sid: ID!) { offender(sid: $sid) { sid name { last } custody { status } } }', { sid }, {}],
        'aliased, no sid selected': [`query Hidden { a: offender(sid: "${other}") { n: name { last } } }`, {}, {}],
        'bad input': ['query Bad { courtCase(docketNumber: "nonsense") { status } }', {}, {}],
        'a person shown without the SID': ['query Case($d: ID!) { courtCase(docketNumber: $d) { status offender { name { last } } } }', { d: openCase.docket }, {}],
        'alias bomb': [`query Bomb($sid: ID!) { ${Array.from({ length: 16 }, (_, n) => `a${n}: offender(sid: $sid) { sid }`).join(' ')} }`, { sid }, {}],
        'no token': [PROFILE, { sid }, { authorization: '' }],
        'lapsed certification': [PROFILE, { sid }, { authorization: `Bearer ${await stack.token({ user: 'lapsed-user', certifiedUntil: new Date('2026-01-15T00:00:00Z') })}` }],
      };
      const got: Record<string, unknown> = {};
      for (const [name, [query, variables, headers]] of Object.entries(tries)) {
        const requestId = `audit-${name.replace(/\W+/g, '-')}`;
        const answer = await stack.query(query, variables, { 'x-request-id': requestId, ...headers });
        assert.doesNotMatch(JSON.stringify(answer.body), /_obtsAuditSid/, 'the hidden audit selection reached the client');
        const record = (await records()).find((candidate) => candidate.clientRequestId === requestId);
        got[name] = record && { event: record.event, user: record.user, ori: record.ori, purpose: record.purpose, operationName: record.operationName, subgraphs: record.subgraphs, sids: record.sids, outcome: record.outcome, reason: record.reason, variables: record.variables, hashed: /^[0-9a-f]{64}$/.test(record.documentHash ?? ''), clientAddress: record.clientAddress };
      }
      const base = { user: 'stack-test-user', ori: 'CT0000000', purpose: 'C', clientAddress: '127.0.0.1' };
      assert.deepEqual(got, {
        // Judicial too: DOC's custody asks it which of the person's dockets are erased (the disclosure guard, issue 9).
        profile: { ...base, event: 'operation', operationName: 'Profile', subgraphs: ['correction', 'judicial', 'public-safety'], sids: [sid], outcome: 'ok', reason: null, variables: { sid }, hashed: true },
        'aliased, no sid selected': { ...base, event: 'operation', operationName: 'Hidden', subgraphs: ['public-safety'], sids: [other], outcome: 'ok', reason: null, variables: {}, hashed: true },
        'bad input': { ...base, event: 'operation', operationName: 'Bad', subgraphs: ['judicial'], sids: [], outcome: 'error', reason: 'BAD_USER_INPUT', variables: {}, hashed: true },
        'alias bomb': { ...base, event: 'operation', operationName: 'Bomb', subgraphs: [], sids: [], outcome: 'refused', reason: 'QUERY_LIMIT_EXCEEDED', variables: { sid }, hashed: true },
        'a person shown without the SID': { ...base, event: 'operation', operationName: 'Case', subgraphs: ['judicial', 'public-safety'], sids: [openCase.sid], outcome: 'ok', reason: null, variables: { d: openCase.docket }, hashed: true },
        'no token': { event: 'refused', user: null, ori: null, purpose: null, operationName: null, subgraphs: [], sids: [], outcome: 'refused', reason: '401 no-token', variables: null, hashed: false, clientAddress: '127.0.0.1' },
        'lapsed certification': { ...base, user: 'lapsed-user', event: 'refused', operationName: null, subgraphs: [], sids: [], outcome: 'refused', reason: '403 certification-lapsed', variables: null, hashed: false },
      });
    });

    it('verify finds the log intact, and names the first record changed on disk', async () => {
      const file = path.join(stack.dataDir, 'audit', 'audit.jsonl');
      const intact = await auditCli(file, 'verify');
      assert.equal(intact.code, 0);
      assert.match(intact.stdout, /^ok: \d+ records, chain intact/);
      const copy = path.join(stack.dataDir, 'tampered.jsonl');
      const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
      const victim = JSON.parse(lines[2]);
      lines[2] = JSON.stringify({ ...victim, user: 'nobody' });
      writeFileSync(copy, lines.join('\n') + '\n');
      const tampered = await auditCli(copy, 'verify');
      assert.deepEqual({ code: tampered.code, stdout: tampered.stdout.trim() }, { code: 1, stdout: `BROKEN: record ${victim.seq} (line 3): hash does not match the record content (the record was changed)` });
      lines.splice(2, 1);
      writeFileSync(copy, lines.join('\n') + '\n');
      assert.match((await auditCli(copy, 'verify')).stdout, new RegExp(`BROKEN: record ${victim.seq + 1} \\(line 3\\): sequence jumps`));
    });

    it('who-viewed lists the users who saw an offender, and the read is itself audited', async () => {
      const file = path.join(stack.dataDir, 'audit', 'audit.jsonl');
      await stack.query(PROFILE, { sid }, { 'x-request-id': 'who-viewed-probe' });
      const { code, stdout } = await auditCli(file, 'who-viewed', sid);
      assert.equal(code, 0);
      assert.match(stdout, new RegExp(`operation\\(s\\) disclosed ${sid}`));
      assert.match(stdout, /stack-test-user {2}CT0000000 {2}law-enforcement\+prosecutor\+parole {2}purpose C {2}Profile {2}ok {2}127\.0\.0\.1 {2}[0-9a-f-]{36} \(client who-viewed-probe\)/);
      const last = (await records()).at(-1)!;
      assert.deepEqual([last.event, last.user, last.operationName, last.variables], ['audit-read', 'suite-auditor', 'who-viewed', { sid }]);
    });

    it('refuses a client alias that would stand in for the audit\'s hidden SID', async () => {
      const spoof = await stack.query('query Spoof($sid: ID!) { offender(sid: $sid) { _obtsAuditSid: fbiNumber name { last } } }', { sid });
      assert.equal(spoof.status, 400);
      assert.equal(spoof.body.data, undefined);
      assert.match(spoof.body.errors[0].message, /"_obtsAuditSid" is reserved for the audit; expected an alias that does not start with _obts/);
    });

    it('records the person behind a record looked up by its own number, without showing the client anything extra', async () => {
      const story = stories.find((candidate) => candidate.cases.some((c) => !c.erased) && candidate.warrants.some((w) => !candidate.cases.find((c) => c.docketNumber === w.docketNumber)?.erased))!;
      const docket = story.cases.find((c) => !c.erased)!.docketNumber;
      const warrant = story.warrants.find((w) => !story.cases.find((c) => c.docketNumber === w.docketNumber)?.erased)!.warrantNumber;
      const answer = await stack.query('query ByNumbers($d: ID!, $w: ID!) { courtCase(docketNumber: $d) { status } warrant(warrantNumber: $w) { status } }', { d: docket, w: warrant });
      assert.equal(answer.body.errors, undefined, JSON.stringify(answer.body.errors));
      assert.deepEqual(Object.keys(answer.body.data.courtCase), ['status']);
      assert.deepEqual(Object.keys(answer.body.data.warrant), ['status']);
      const record = (await records()).filter((r) => r.operationName === 'ByNumbers').at(-1)!;
      assert.deepEqual(record.sids, [story.person.sid]);
    });

    it('on PostgreSQL: commits each record, and returns no data when the audit write fails', async () => {
      const url = await freshPostgresDatabase('security_audit');
      const gateway = await startGateway({
        ...loadGatewayConfig({ OBTS_DATA_DIR: stack.dataDir, AUDIT_DATABASE_URL: url }),
        port: 0,
        subgraphUrls: Object.fromEntries(Object.entries(stack.subgraphs).map(([name, running]) => [name, running.url])),
      });
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const ask = async () => {
          const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...stack.authHeaders }, body: JSON.stringify({ query: PROFILE, variables: { sid } }) });
          return { status: response.status, body: await response.json() as any };
        };
        const ok = await ask();
        assert.equal(ok.body.data.offender.sid, sid);
        const rows = await client.query("SELECT record->>'user' AS user, record->'sids' AS sids FROM obts_audit");
        assert.deepEqual(rows.rows, [{ user: 'stack-test-user', sids: [sid] }]);
        await client.query('ALTER TABLE obts_audit RENAME TO obts_audit_unavailable'); // the audit store fails
        const failed = await ask();
        assert.deepEqual({ status: failed.status, data: failed.body.data, code: failed.body.errors?.[0]?.extensions?.code }, { status: 503, data: undefined, code: 'AUDIT_UNAVAILABLE' });
        assert.doesNotMatch(JSON.stringify(failed.body), new RegExp(stories[5].person.name.last));
      } finally {
        await client.end();
        await gateway.stop();
      }
    });
  });

  describe('hardened queries (SC-5, SI-10)', () => {
    it('refuses alias, depth, token, directive and cost bombs and oversized bodies before any subgraph is called', async () => {
      const nest = (depth: number): string => (depth === 0 ? 'sid' : `courtCases(first: 1) { edges { node { offender { ${nest(depth - 1)} } } } }`);
      const bombs: Record<string, string> = {
        'alias bomb (40 aliases)': `query A($sid: ID!) { ${Array.from({ length: 40 }, (_, n) => `a${n}: offender(sid: $sid) { sid }`).join(' ')} }`,
        'depth bomb (offender → cases → offender …)': `query D($sid: ID!) { offender(sid: $sid) { ${nest(4)} } }`,
        'token bomb (3000 tokens)': `query T($sid: ID!) { offender(sid: $sid) { ${'sid '.repeat(3000)}} }`,
        'directive bomb (30 directives)': `query R($sid: ID!) { offender(sid: $sid) { ${'sid @include(if: true) '.repeat(30)}} }`,
        'cost bomb (lists of lists, within the depth limit)': `query C { searchOffenders(lastName: "SMITH", first: 100) { edges { node { courtCases(first: 100) { edges { node { charges { statute description } sentence { type termDays } offender { arrests { charges { statute } } warrants { warrantNumber } } } } } arrests { charges { statute description } } aliases { last first } warrants { warrantNumber status } custody { inmateNumber facility { name } } } } } }`,
      };
      const before = statements(stack);
      const got: Record<string, string> = {};
      const show = (answer: { status: number; body: any }) => `${answer.status} ${answer.body.errors?.[0]?.extensions?.code} ${answer.body.data ? 'data' : 'no data'}: ${answer.body.errors?.[0]?.message}`;
      // The cost estimate depends on the schema; the test checks the limit named, not the estimate.
      for (const [name, query] of Object.entries(bombs)) got[name] = show(await stack.query(query, { sid })).replace(/found [\d.]+\..*$/, 'found more.');
      got['body over 100 kB'] = show(await stack.query(`query Big { offender(sid: "${sid}") { sid } } # ${'x'.repeat(120_000)}`));
      assert.deepEqual(got, {
        'alias bomb (40 aliases)': '400 QUERY_LIMIT_EXCEEDED no data: Query refused: Aliases limit of 15 exceeded, found more.',
        'depth bomb (offender → cases → offender …)': '400 QUERY_LIMIT_EXCEEDED no data: Query refused: Query depth limit of 10 exceeded, found more.',
        'token bomb (3000 tokens)': '400 QUERY_LIMIT_EXCEEDED no data: Query refused: Token limit of 2000 exceeded.',
        'directive bomb (30 directives)': '400 QUERY_LIMIT_EXCEEDED no data: Query refused: Directives limit of 20 exceeded, found more.',
        'cost bomb (lists of lists, within the depth limit)': `400 QUERY_LIMIT_EXCEEDED no data: Query refused: Query Cost limit of ${loadGatewayConfig({}).limits.maxCost} exceeded, found more.`,
        'body over 100 kB': '413 BAD_REQUEST no data: Request body is too large; expected at most 100kb',
      });
      assert.equal(statements(stack), before, 'a refused query reached a store');
    });

    it('hides field suggestions and keeps CSRF prevention on', async () => {
      const typo = await stack.query(`query { offender(sid: "${sid}") { nmae { last } } }`);
      assert.doesNotMatch(typo.body.errors[0].message, /Did you mean|name/);
      const base = stack.gateway.url;
      const simple = await fetch(`${base}?query=${encodeURIComponent('{ __typename }')}`, { headers: { authorization: stack.authHeaders.authorization, 'x-obts-purpose': 'C' } });
      assert.equal(simple.status, 400);
      assert.match(await simple.text(), /Cross-Site Request Forgery/);
    });
  });

  describe('production mode (CM-7 least functionality)', () => {
    let production: RunningGateway;
    let idpKey: KeyFile;
    before(async () => {
      // A stand-in for the agency identity provider: its own key, issuer and audience.
      idpKey = await loadOrCreateKeyFile(path.join(stack.dataDir, 'idp', 'key.json'), 'ct-idp-', 'test identity provider');
      const jwksFile = path.join(stack.dataDir, 'idp', 'jwks.json');
      writeFileSync(jwksFile, JSON.stringify({ keys: [...idpKey.publicJwks.keys, ...(await loadDevKey(stack.dataDir)).publicJwks.keys] }));
      production = await startGateway({
        ...loadGatewayConfig({ OBTS_MODE: 'production', OBTS_DATA_DIR: stack.dataDir, OBTS_AUTH_JWKS_FILE: jwksFile, OBTS_AUTH_ISSUER: 'https://idp.ct.example', OBTS_AUTH_AUDIENCE: 'obts', GATEWAY_RATE_LIMIT: '5' }),
        port: 0,
        subgraphUrls: Object.fromEntries(Object.entries(stack.subgraphs).map(([name, running]) => [name, running.url])),
      });
    });
    after(async () => {
      await production?.stop();
    });
    const ask = async (query: string, headers: Record<string, string>) => {
      const response = await fetch(production.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-obts-purpose': 'C', ...headers }, body: JSON.stringify({ query, variables: { sid } }) });
      return { status: response.status, body: await response.json() as any, retryAfter: response.headers.get('retry-after') };
    };

    it('refuses the development key, introspection and GraphiQL; answers identity-provider tokens; limits requests per user', async () => {
      const idpToken = await issueDevToken(idpKey, { user: 'prod-user', ori: 'CT0064200', roles: ['analyst'], certifiedUntil: new Date(Date.now() + 86_400_000), issuer: 'https://idp.ct.example' });
      const devToken = await stack.token({ issuer: 'https://idp.ct.example' });
      const base = production.url.replace(/\/graphql$/, '');
      const got = {
        'development key': outcomeOf(await ask(PROFILE, { authorization: `Bearer ${devToken}` })),
        'identity provider token': outcomeOf(await ask(PROFILE, { authorization: `Bearer ${idpToken}` })),
        introspection: outcomeOf(await ask('{ __schema { types { name } } }', { authorization: `Bearer ${idpToken}` })),
        'GraphiQL page': (await fetch(`${base}/graphiql`)).status,
        'GraphiQL assets': (await fetch(`${base}/graphiql/assets/graphiql.js`)).status,
        health: (await fetch(`${base}/health`)).status,
      };
      assert.deepEqual(got, {
        'development key': { status: 401, code: 'UNAUTHENTICATED', reason: 'unknown-key', data: false },
        'identity provider token': { status: 200, data: true },
        introspection: { status: 400, code: 'GRAPHQL_VALIDATION_FAILED', data: false },
        'GraphiQL page': 404,
        'GraphiQL assets': 404,
        health: 200,
      });
      // Two requests so far for prod-user; the limit is 5 a minute.
      const statuses: number[] = [];
      for (let n = 0; n < 4; n += 1) statuses.push((await ask(PROFILE, { authorization: `Bearer ${idpToken}` })).status);
      assert.deepEqual(statuses, [200, 200, 200, 429]);
      const limited = await ask(PROFILE, { authorization: `Bearer ${idpToken}` });
      assert.deepEqual(outcomeOf(limited), { status: 429, code: 'RATE_LIMITED', reason: 'rate-limited', data: false });
      assert.ok(Number(limited.retryAfter) >= 1);
      const last = (await production.audit.readAll()).at(-1)!;
      assert.deepEqual([last.event, last.user, last.outcome, last.reason], ['refused', 'prod-user', 'refused', '429 rate-limited']);
    });
  });

  describe('erased records, C.G.S. 54-142a (every path)', () => {
    /** A token the gateway would sign for one subgraph call, for calling a subgraph directly. */
    const gatewayToken = async (subgraph: string) => {
      const key = await loadGatewayKey(gatewayKeyFile({ OBTS_DATA_DIR: stack.dataDir }));
      return signSubgraphToken(key, { userId: 'suite', ori: 'CT0000000', roles: ['prosecutor'], permissions: Object.keys(PERMISSIONS), purpose: 'C', requestId: 'erased-probe' }, subgraph);
    };
    const direct = async (subgraph: string, query: string, variables: Record<string, unknown>) => {
      const response = await fetch(stack.subgraphs[subgraph].url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await gatewayToken(subgraph)}` },
        body: JSON.stringify({ query, variables }),
      });
      return response.json() as Promise<any>;
    };

    it('never returns an erased docket: profile, searches, case lookup, entities', async () => {
      const erased = stories.flatMap((story) => story.cases.filter((c) => c.erased).map((c) => ({ sid: story.person.sid, docket: c.docketNumber })));
      assert.ok(erased.length >= 10, 'the sample has too few erased cases to prove anything');
      const dockets = new Set(erased.map((entry) => entry.docket));
      const leaks = (label: string, body: unknown) => [...dockets].filter((docket) => JSON.stringify(body).includes(docket)).map((docket) => `${label}: ${docket}`);
      const found: string[] = [];
      for (const sid of new Set(erased.map((entry) => entry.sid))) {
        const profile = await stack.query(`query Erased($sid: ID!) { offender(sid: $sid) { sid
          courtCases(first: 100) { totalCount edges { node { docketNumber } } } warrants { warrantNumber docketNumber } protectiveOrders { orderNumber docketNumber }
          probation { caseNumber docketNumber } custody { inmateNumber docketNumber } sentences { docketNumber } parole { caseNumber } } }`, { sid });
        assert.equal(profile.body.data?.offender?.sid, sid, JSON.stringify(profile.body.errors));
        found.push(...leaks(`profile ${sid}`, profile.body));
      }
      const warrants = await stack.query('query Search { warrants(first: 100) { edges { node { warrantNumber docketNumber } } } }');
      assert.ok(!warrants.body.errors, JSON.stringify(warrants.body.errors));
      found.push(...leaks('warrant search', warrants.body));
      for (let year = 2000; year <= 2026; year += 1) {
        const releases = await stack.query('query Releases($from: String!, $to: String!) { releases(from: $from, to: $to, first: 100) { edges { node { inmateNumber docketNumber } } } }', { from: `${year}-01-01`, to: `${year}-12-31` });
        assert.ok(!releases.body.errors, JSON.stringify(releases.body.errors));
        found.push(...leaks(`releases ${year}`, releases.body));
      }
      const lookups: Record<string, unknown> = {};
      for (const { docket } of erased) {
        lookups[docket] = (await stack.query('query Lookup($docket: ID!) { courtCase(docketNumber: $docket) { docketNumber status } }', { docket })).body.data?.courtCase;
        lookups[`${docket} without hyphens`] = (await stack.query('query Lookup($docket: ID!) { courtCase(docketNumber: $docket) { docketNumber } }', { docket: docket.replace(/-/g, '') })).body.data?.courtCase;
      }
      assert.deepEqual(Object.values(lookups).filter((value) => value !== null), [], 'a case lookup returned an erased docket');
      const representations = erased.map((entry) => ({ __typename: 'CourtCase', docketNumber: entry.docket }));
      const judicial = await direct('judicial', 'query E($r: [_Any!]!) { _entities(representations: $r) { ... on CourtCase { docketNumber status offender { sid } } } }', { r: representations });
      const correction = await direct('correction', 'query E($r: [_Any!]!) { _entities(representations: $r) { ... on CourtCase { docketNumber correctionalSentence { docketNumber } } } }', { r: representations });
      assert.ok(judicial.data?._entities && correction.data?._entities, JSON.stringify([judicial, correction]).slice(0, 600));
      assert.deepEqual(judicial.data._entities.filter((entity: unknown) => entity !== null), [], 'judicial _entities returned an erased case');
      assert.deepEqual(correction.data._entities.map((entity: any) => entity?.correctionalSentence ?? null).filter((value: unknown) => value !== null), [], 'correction disclosed a sentence of an erased case');
      assert.deepEqual(found, []);
    });

    it('refuses an alias that takes the name of another field of the type: the planner would join it with what an agency requires under that name', async () => {
      const story = stories.find((s) => s.cases.some((c) => c.erased) && s.custodies.length > 0)!;
      assert.ok(story, 'the sample has a person with an erased case and a custody record');
      const erasedDocket = story.cases.find((c) => c.erased)!.docketNumber;
      const refused: Record<string, string> = {
        // The disclosure guard's erased-docket list under a client alias (C.G.S. 54-142a).
        'erasedDockets: scarsMarksTattoos custody { status }': 'erasedDockets',
        // Tracking's requirements, fed with other records.
        'custody: parole { status } trackingStatus { stage }': 'custody',
        'casesForTracking: courtCases(status: DISPOSED) { totalCount } trackingStatus { stage }': 'casesForTracking',
        '__typename: sid name { last }': '__typename',
      };
      for (const [selection, alias] of Object.entries(refused)) {
        const { status, body } = await stack.query(`query Alias($sid: ID!) { offender(sid: $sid) { ${selection} } }`, { sid: story.person.sid });
        assert.equal(status, 400, selection);
        assert.equal(body.data, undefined, selection);
        assert.match(body.errors[0].message, new RegExp(`^The alias "${alias}" on Offender\\.\\w+ is the name of another field of Offender; expected an alias that is not a field name`), selection);
        assert.ok(!JSON.stringify(body).includes(erasedDocket), selection);
      }
      // Aliases that name no field stay open: two views of one list side by side.
      const allowed = await stack.query('query Two($sid: ID!) { offender(sid: $sid) { open: courtCases(status: OPEN) { totalCount } all: courtCases { totalCount } custody { status } } }', { sid: story.person.sid });
      assert.equal(allowed.status, 200);
      assert.equal(allowed.body.errors, undefined, JSON.stringify(allowed.body.errors));
      assert.equal(typeof allowed.body.data.offender.all.totalCount, 'number');
    });
  });
  describe('field permissions by role (AC-3, AC-6)', () => {
    const ACCESS = `query Access($sid: ID!) { offender(sid: $sid) { sid name { last } arrests { trackingNumber }
      sexOffenderRegistration { status homeAddress { city } }
      courtCases(first: 1) { totalCount } warrants { warrantNumber } protectiveOrders { orderNumber protectedPersons { name } }
      infractions { ticketNumber } probation { caseNumber }
      custody { inmateNumber } sentences { docketNumber } parole { caseNumber caseNotes { text } } } }`;
    const as = async (roles: string[]) => ({ authorization: `Bearer ${await stack.token({ user: `as-${roles.join('+')}`, roles })}` });
    const shape = (errors: any[] = []) => [...new Set(errors.map((error) => `${error.extensions?.code} ${error.path.map((part: unknown) => (typeof part === 'number' ? '[]' : part)).join('.')}`))].sort();

    it('answers each role with what its permissions open; every other field is null with FORBIDDEN at its path', async () => {
      const full = stories[40].person.sid;
      const got: Record<string, { sid: string | null; denied: string[] }> = {};
      for (const role of Object.keys(ROLES)) {
        const answer = await stack.query(ACCESS, { sid: full }, await as([role]));
        got[role] = { sid: answer.body.data?.offender?.sid ?? null, denied: shape(answer.body.errors) };
      }
      const denied = (...paths: string[]) => paths.map((p) => `FORBIDDEN offender${p ? `.${p}` : ''}`).sort();
      const protectedClasses = denied('parole.[].caseNotes', 'protectiveOrders.[].protectedPersons', 'sexOffenderRegistration.homeAddress');
      assert.deepEqual(got, {
        'law-enforcement': { sid: full, denied: denied('parole.[].caseNotes') },
        prosecutor: { sid: full, denied: denied('parole.[].caseNotes') },
        court: { sid: full, denied: denied('parole.[].caseNotes', 'sexOffenderRegistration.homeAddress') },
        probation: { sid: full, denied: denied('parole.[].caseNotes') },
        parole: { sid: full, denied: denied('protectiveOrders.[].protectedPersons') },
        correction: { sid: full, denied: protectedClasses },
        'victim-services': { sid: full, denied: denied('arrests', 'infractions', 'parole', 'probation', 'sexOffenderRegistration', 'warrants') },
        analyst: { sid: full, denied: protectedClasses },
        trainer: { sid: full, denied: protectedClasses },
        auditor: { sid: null, denied: denied('') },
        // OBTS's own services (notifications, erasure propagation) read change feeds, never offender data.
        'event-consumer': { sid: null, denied: denied('') },
      });
      const record = (await stack.gateway.audit.readAll()).filter((r) => r.user === 'as-correction').at(-1)!;
      assert.deepEqual([record.outcome, record.reason, record.sids], ['partial', 'FORBIDDEN', [full]]);
    });

    it('keeps the rest of the answer, and never asks a subgraph for a field it cut', async () => {
      const full = stories[40];
      const sent: string[] = [];
      const stop = observeSubgraphCalls(({ url, body }) => {
        if (url === stack.subgraphs.judicial.url || url === stack.subgraphs.correction.url) sent.push(body);
      });
      let answer: { status: number; body: any };
      try {
        answer = await stack.query(ACCESS, { sid: full.person.sid }, await as(['analyst']));
      } finally {
        stop();
      }
      const offender = answer.body.data.offender;
      assert.equal(offender.protectiveOrders.length, full.protectiveOrders.length);
      assert.deepEqual(offender.protectiveOrders.map((order: any) => order.protectedPersons), full.protectiveOrders.map(() => null));
      assert.deepEqual(offender.parole.map((parole: any) => [parole.caseNumber, parole.caseNotes]), full.paroles.map((parole) => [parole.caseNumber, null]));
      assert.ok(sent.length >= 2);
      assert.deepEqual(sent.filter((body) => /protectedPersons|caseNotes/.test(body)), []);
      const allowed = await stack.query(ACCESS, { sid: full.person.sid }, await as(['law-enforcement', 'parole']));
      assert.deepEqual(allowed.body.errors, undefined);
      assert.ok(allowed.body.data.offender.parole[0].caseNotes.length > 0);
      assert.ok(allowed.body.data.offender.protectiveOrders.some((order: any) => order.protectedPersons.length > 0));
      assert.equal(typeof allowed.body.data.offender.sexOffenderRegistration.homeAddress.city, 'string');
    });

    it('each subgraph enforces the same rule on the identity the gateway signed', async () => {
      const full = stories[40];
      const order = full.protectiveOrders.find((candidate) => candidate.protectedPersons.length)!;
      const key = await loadGatewayKey(gatewayKeyFile({ OBTS_DATA_DIR: stack.dataDir }));
      const call = async (subgraph: string, roles: string[], query: string, variables: Record<string, unknown>) => {
        const identity = { userId: 'direct', ori: 'CT0000000', roles, permissions: permissionsFor(roles), purpose: 'C' as const, requestId: 'direct-probe' };
        const response = await fetch(stack.subgraphs[subgraph].url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${await signSubgraphToken(key, identity, subgraph)}` },
          body: JSON.stringify({ query, variables }),
        });
        const body = await response.json() as any;
        return { data: body.data, denied: shape(body.errors) };
      };
      const probes = {
        'judicial: protected persons': ['judicial', 'query O($n: ID!) { protectiveOrder(orderNumber: $n) { orderNumber protectedPersons { name } } }', { n: order.orderNumber }],
        'correction: parole case notes (entities)': ['correction', 'query E($r: [_Any!]!) { _entities(representations: $r) { ... on Offender { parole { caseNumber caseNotes { text } } } } }', { r: [{ __typename: 'Offender', sid: full.person.sid }] }],
        'public-safety: registrant home address': ['public-safety', 'query S($sid: ID!) { offender(sid: $sid) { sexOffenderRegistration { status homeAddress { city } } } }', { sid: full.person.sid }],
      } as const;
      const got: Record<string, string[]> = {};
      for (const [name, [subgraph, query, variables]] of Object.entries(probes)) {
        got[`${name} as analyst`] = (await call(subgraph, ['analyst'], query, variables)).denied;
        got[`${name} as law-enforcement+parole`] = (await call(subgraph, ['law-enforcement', 'parole'], query, variables)).denied;
      }
      assert.deepEqual(got, {
        'judicial: protected persons as analyst': ['FORBIDDEN protectiveOrder.protectedPersons'],
        'judicial: protected persons as law-enforcement+parole': [],
        'correction: parole case notes (entities) as analyst': ['FORBIDDEN _entities.[].parole.[].caseNotes'],
        'correction: parole case notes (entities) as law-enforcement+parole': [],
        'public-safety: registrant home address as analyst': ['FORBIDDEN offender.sexOffenderRegistration.homeAddress'],
        'public-safety: registrant home address as law-enforcement+parole': [],
      });
    });
  });
});
