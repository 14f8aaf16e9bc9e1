// Training mode and class tokens through the real gateway (issue 13): training mode runs
// only on marked (synthetic) stores and says so in every answer; class tokens work there
// and nowhere else; a class has one identity per trainee; bad rosters, expired classes and
// broken lesson files get errors that say what was expected.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { generateStories } from '../seed/generate.ts';
import { startStack, type Stack } from './support/stack.ts';
import { loadGatewayConfig } from '../gateway/config.ts';
import { startGateway } from '../gateway/server.ts';
import { issueDevToken, loadDevKey } from '../gateway/auth/dev-key.ts';
import { loadOrCreateKeyFile } from '../subgraphs/shared/keys.ts';
import { classProblems, issueClass, redeemCode, writeClassFile, type ClassRequest } from '../training/roster.ts';
import { loadLessons } from '../training/lessons.ts';
import { readSupergraph } from '../gateway/server.ts';
import { ROOT } from '../schema/subgraphs.ts';

const run = promisify(execFile);
const PROFILE = 'query Profile($sid: ID!) { offender(sid: $sid) { sid name { last } arrests { trackingNumber } sentences { docketNumber } } }';
const base: ClassRequest = { trainer: 'jdoe', roles: ['parole', 'victim-services'], hours: 4, ori: 'CT0000000', size: 2, maxSize: 30 };

async function post(url: string, token: string, query: string, variables: Record<string, unknown>, extra: Record<string, string> = {}) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-obts-purpose': 'C', ...extra }, body: JSON.stringify({ query, variables }) });
  return { status: response.status, body: await response.json() as any };
}

describe('Training mode and class tokens', function () {
  this.timeout(600_000); // two stacks on a shared, loaded machine start slowly
  let training: Stack;
  let unmarked: Stack;
  before(async () => {
    const stories = generateStories({ offenders: 50, seed: 1 }); // the lessons' people are among the first 50 of seed 1
    training = await startStack(stories, { tag: 'training', env: { OBTS_MODE: 'training' } });
    unmarked = await startStack(stories.slice(0, 10), { tag: 'unmarked', unmarked: true });
  });
  after(async () => {
    await training?.stop();
    await unmarked?.stop();
  });

  it('refuses to start training mode on stores the seeder did not mark, naming each store', async () => {
    const config = { ...loadGatewayConfig({ OBTS_MODE: 'training', OBTS_DATA_DIR: unmarked.dataDir }), port: 0, subgraphUrls: Object.fromEntries(Object.entries(unmarked.subgraphs).map(([name, s]) => [name, s.url])) };
    await assert.rejects(startGateway(config), (error: Error) => {
      assert.match(error.message, /OBTS_MODE=training runs only on synthetic stores/);
      for (const name of ['public-safety', 'judicial', 'correction']) assert.match(error.message, new RegExp(`${name} \\(its store has no synthetic marker`));
      return true;
    });
    // Development mode still runs there, and its page does not call the data synthetic.
    const page = await (await fetch(unmarked.gateway.url.replace(/\/graphql$/, '/graphiql'))).text();
    assert.match(page, /"synthetic":false/);
  });

  it('marks every answer in training mode as synthetic, and only there', async () => {
    const [trainee] = (await issueClass(await loadDevKey(training.dataDir), base)).trainees;
    const answer = await post(training.gateway.url, trainee.token, PROFILE, { sid: '000100007' });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.extensions.obtsTraining.synthetic, true);
    assert.match(answer.body.extensions.obtsTraining.notice, /synthetic/);
    const development = await unmarked.query(PROFILE, { sid: '000100007' });
    assert.equal(development.body.extensions?.obtsTraining, undefined);
    // The page hands no token out in training mode (docker-compose runs this mode on a public port).
    const page = await (await fetch(training.gateway.url.replace(/\/graphql$/, '/graphiql'))).text();
    assert.match(page, /"defaultAuthorization":null/);
    assert.match(page, /"synthetic":true/);
  });

  it('gives each trainee their own identity and role; the role header switches only among the class roles', async () => {
    const file = await issueClass(await loadDevKey(training.dataDir), base);
    const [parole, victim] = file.trainees;
    assert.notEqual(parole.sub, victim.sub);
    assert.deepEqual([parole.role, victim.role], ['parole', 'victim-services']);
    const asParole = await post(training.gateway.url, parole.token, PROFILE, { sid: '000100007' });
    const asVictim = await post(training.gateway.url, victim.token, PROFILE, { sid: '000100007' });
    assert.equal(asParole.body.errors, undefined);
    assert.ok(asParole.body.data.offender.arrests.length > 0);
    assert.equal(asVictim.body.data.offender.arrests, null);
    assert.match(asVictim.body.errors[0].message, /needs permission "cch:read"/);
    // The parole trainee acting as victim services gets victim services' answer.
    const switched = await post(training.gateway.url, parole.token, PROFILE, { sid: '000100007' }, { 'x-obts-training-role': 'victim-services' });
    assert.equal(switched.body.data.offender.arrests, null);
    const outside = await post(training.gateway.url, parole.token, PROFILE, { sid: '000100007' }, { 'x-obts-training-role': 'prosecutor' });
    assert.equal(outside.status, 403);
    assert.match(outside.body.errors[0].message, /Role "prosecutor" is not one of class "c\d{8}-[a-z0-9]{4}"'s roles; expected one of parole, victim-services/);
    // Audit records (and so who-viewed) name each trainee and the role they acted as.
    const records = (await training.gateway.audit.readAll()).filter((record) => record.user?.startsWith(file.class));
    assert.deepEqual(new Set(records.map((record) => record.user)), new Set([parole.sub, victim.sub]));
    assert.ok(records.some((record) => record.user === parole.sub && record.roles.includes('victim-services')));
  });

  it('refuses class tokens in development and production, and expired ones with the class named', async () => {
    const [trainee] = (await issueClass(await loadDevKey(unmarked.dataDir), base)).trainees;
    const development = await post(unmarked.gateway.url, trainee.token, PROFILE, { sid: '000100007' });
    assert.equal(development.status, 401);
    assert.match(development.body.errors[0].message, /class tokens work only on a gateway in training mode \(OBTS_MODE=training\), never in development mode/);
    // Production with an identity provider's key set: a class token signed by that very key is still refused.
    const folder = mkdtempSync(path.join(os.tmpdir(), 'obts-idp-'));
    try {
      const idp = await loadOrCreateKeyFile(path.join(folder, 'idp.json'), 'test-idp-', 'test identity provider');
      writeFileSync(path.join(folder, 'jwks.json'), JSON.stringify(idp.publicJwks));
      const config = { ...loadGatewayConfig({ OBTS_MODE: 'production', OBTS_AUTH_JWKS_FILE: path.join(folder, 'jwks.json'), OBTS_DATA_DIR: training.dataDir, AUDIT_LOG_FILE: path.join(folder, 'audit.jsonl'), GATEWAY_RATE_LIMIT: '0' }), port: 0, subgraphUrls: Object.fromEntries(Object.entries(training.subgraphs).map(([name, s]) => [name, s.url])) };
      const production = await startGateway(config);
      try {
        const claims = { user: 'trainee-x', ori: 'CT0000000', roles: ['parole'], purpose: 'C' as const, certifiedUntil: new Date(Date.now() + 3600_000) };
        const classToken = await issueDevToken(idp, { ...claims, training: { class: 'c20261201-test', trainer: 'jdoe', roles: ['parole'] } });
        const refused = await post(production.url, classToken, PROFILE, { sid: '000100007' });
        assert.equal(refused.status, 401);
        assert.equal(refused.body.errors[0].extensions.reason, 'class-token-outside-training');
        assert.match(refused.body.errors[0].message, /never in production mode/);
        const ordinary = await post(production.url, await issueDevToken(idp, claims), PROFILE, { sid: '000100007' });
        assert.equal(ordinary.status, 200, JSON.stringify(ordinary.body));
      } finally {
        await production.stop();
      }
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
    const ended = await issueClass(await loadDevKey(training.dataDir), { ...base, hours: 1 }, new Date(Date.now() - 2 * 3600_000));
    const expired = await post(training.gateway.url, ended.trainees[0].token, PROFILE, { sid: '000100007' });
    assert.equal(expired.status, 401);
    assert.match(expired.body.errors[0].message, new RegExp(`Class token for class "${ended.class}" expired at .*ask trainer jdoe for a new sign-in code`));
    writeClassFile(training.dataDir, ended);
    const redeemed = redeemCode(training.dataDir, ended.trainees[0].code);
    assert.ok(!redeemed.ok && redeemed.status === 410 && /which ended at/.test(redeemed.message));
  });

  it('runs every shipped lesson with its own variables as the role it is meant for', async () => {
    const { lessons } = loadLessons(readSupergraph());
    const roles = [...new Set(lessons.map((lesson) => lesson.role))];
    const file = await issueClass(await loadDevKey(training.dataDir), { ...base, roles, size: roles.length });
    for (const lesson of lessons) {
      const trainee = file.trainees.find((entry) => entry.role === lesson.role)!;
      const answer = await post(training.gateway.url, trainee.token, lesson.query, lesson.variables);
      assert.equal(answer.status, 200, `${lesson.file}: ${JSON.stringify(answer.body)}`);
      const errors = (answer.body.errors ?? []) as Array<{ extensions?: { code?: string } }>;
      // The denied-field lesson is about FORBIDDEN errors; no lesson may fail otherwise.
      assert.deepEqual(errors.filter((error) => error.extensions?.code !== 'FORBIDDEN'), [], lesson.file);
      if (lesson.file.includes('denied')) assert.ok(errors.length >= 2, 'the denied-field lesson shows denials');
      else assert.deepEqual(errors, [], lesson.file);
    }
    const erased = lessons.find((lesson) => lesson.file.includes('erased'))!;
    const answer = await post(training.gateway.url, file.trainees[0].token, erased.query, erased.variables);
    assert.equal(answer.body.data.courtCase, null);
    assert.ok(!answer.body.data.offender.courtCases.edges.some((edge: any) => edge.node.docketNumber === erased.variables.docketNumber));
    const door = lessons.find((lesson) => lesson.file.includes('warrant'))!;
    const atDoor = await post(training.gateway.url, file.trainees.find((entry) => entry.role === 'law-enforcement')!.token, door.query, door.variables);
    assert.ok(atDoor.body.data.offender.warrants.length > 0, 'the lesson\'s person has an active warrant');
  });

  it('exchanges a sign-in code for that trainee\'s token, and says what a bad code should look like', async () => {
    const file = await issueClass(await loadDevKey(training.dataDir), base);
    writeClassFile(training.dataDir, file);
    const signIn = training.gateway.url.replace(/\/graphql$/, '/graphiql/sign-in');
    const send = (code: string) => fetch(signIn, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) }).then(async (r) => ({ status: r.status, body: await r.json() as any }));
    const good = await send(file.trainees[1].code.toLowerCase());
    assert.equal(good.body.token, file.trainees[1].token);
    const unknown = await send('AAAA-BBBB');
    assert.equal(unknown.status, 404);
    assert.match(unknown.body.error, /not one of the classes on this gateway/);
    const malformed = await send('x');
    assert.equal(malformed.status, 400);
    assert.match(malformed.body.error, /expected 8 letters and digits .* e\.g\. K7QF-M2XD/);
  });

  it('checks a class request: unknown role, class over the maximum, bad hours, duplicate trainees', () => {
    assert.deepEqual(classProblems(base), []);
    assert.match(classProblems({ ...base, roles: ['parole', 'sheriff'] }).join('\n'), /role "sheriff" is not an OBTS role; expected one of law-enforcement, /);
    assert.match(classProblems({ ...base, size: 31 }).join('\n'), /a class of 31 is larger than the configured maximum of 30 \(OBTS_TRAINING_MAX_CLASS\)/);
    assert.match(classProblems({ ...base, hours: 48 }).join('\n'), /--hours 48 is not valid; expected a number of hours above 0 and at most 12/);
    assert.match(classProblems({ ...base, size: undefined, roster: [{ name: 'Pat Lee', role: 'parole' }, { name: 'pat lee', role: 'parole' }] }).join('\n'), /pat lee appears twice/);
  });

  it('npm run training: --help, a class sheet, and one-line errors for unknown options and roles', async () => {
    const cli = (args: string[]) => run(process.execPath, ['--import', 'tsx', path.join(ROOT, 'training/cli.ts'), ...args], { cwd: ROOT, env: { ...process.env, OBTS_DATA_DIR: training.dataDir, OBTS_TRAINING_MAX_CLASS: '5' } })
      .then(({ stdout, stderr }) => ({ code: 0, stdout, stderr }), (error) => ({ code: error.code as number, stdout: String(error.stdout), stderr: String(error.stderr) }));
    const help = await cli(['class', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--roles <a,b,…>/);
    const sheet = await cli(['class', '--trainer', 'jdoe', '--size', '3', '--roles', 'law-enforcement,parole', '--hours', '2', '--url', 'http://127.0.0.1:4000']);
    assert.equal(sheet.code, 0, sheet.stderr);
    const links = sheet.stdout.match(/http:\/\/127\.0\.0\.1:4000\/graphiql\?code=[A-Z0-9]{4}-[A-Z0-9]{4}/g) ?? [];
    assert.equal(new Set(links).size, 3);
    assert.match(sheet.stdout, /trainee-02 +parole/);
    const unknownOption = await cli(['class', '--trainer', 'jdoe', '--sizes', '3']);
    assert.equal(unknownOption.code, 2);
    assert.match(unknownOption.stderr, /^training: Unknown option '--sizes'.*--help lists the options\)\n$/);
    const badRole = await cli(['class', '--trainer', 'jdoe', '--size', '6', '--roles', 'parole,sheriff']);
    assert.equal(badRole.code, 2);
    assert.match(badRole.stderr, /role "sheriff" is not an OBTS role/);
    assert.match(badRole.stderr, /a class of 6 is larger than the configured maximum of 5/);
  });

  it('loads every lesson; a lesson that does not parse or validate is named with file and line, the rest still load', () => {
    const shipped = loadLessons(readSupergraph());
    assert.deepEqual(shipped.problems, []);
    assert.ok(shipped.lessons.length >= 6);
    const folder = mkdtempSync(path.join(os.tmpdir(), 'obts-lessons-'));
    try {
      mkdirSync(folder, { recursive: true });
      writeFileSync(path.join(folder, 'a-good.graphql'), '# title: Good\n# role: parole\n# description: fine\n# variables: { "sid": "000100007" }\nquery Good($sid: ID!) { offender(sid: $sid) { sid } }\n');
      writeFileSync(path.join(folder, 'b-broken.graphql'), '# title: Broken\n# role: parole\n# description: does not parse\nquery Broken {\n  offender(sid: "1") {\n    sid\n');
      writeFileSync(path.join(folder, 'c-invalid.graphql'), '# title: Invalid\n# role: parole\n# description: unknown field\nquery Invalid {\n  offender(sid: "1") {\n    shoeSize\n  }\n}\n');
      writeFileSync(path.join(folder, 'd-variables.graphql'), '# title: No variables\n# role: parole\n# description: $sid missing\nquery Missing($sid: ID!) { offender(sid: $sid) { sid } }\n');
      writeFileSync(path.join(folder, 'e-role.graphql'), '# title: Role\n# role: sheriff\n# description: unknown role\nquery R { offender(sid: "1") { sid } }\n');
      const loaded = loadLessons(readSupergraph(), folder);
      assert.deepEqual(loaded.lessons.map((lesson) => lesson.title), ['Good']);
      const shown = path.relative(ROOT, folder);
      assert.match(loaded.problems[0], new RegExp(`^${shown}/b-broken\\.graphql:7: does not parse: Syntax Error`));
      assert.match(loaded.problems[1], new RegExp(`^${shown}/c-invalid\\.graphql:6: does not validate against the schema: Cannot query field "shoeSize" on type "Offender"`));
      assert.match(loaded.problems[2], /d-variables\.graphql:\d+: variables do not fit the operation: Variable "\$sid" of required type "ID!" was not provided/);
      assert.match(loaded.problems[3], /e-role\.graphql:2: role "sheriff" is not an OBTS role/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
