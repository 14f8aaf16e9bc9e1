// `npm run new-subgraph` as an agency developer runs it: refusals change nothing; in a
// temporary copy of the project, a new subgraph is written, registered, permitted to no
// role and composed, the generated files stay current (compose --check, schema:check,
// docs), and the generated subgraph's own tests pass.
import assert from 'node:assert/strict';
import { SUBGRAPHS } from '../schema/subgraphs.ts';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../schema/subgraphs.ts';

const exec = promisify(execFile);

/** Runs a project script with tsx in `cwd`; returns its exit code and output. */
async function script(cwd: string, file: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['--import', 'tsx', file, ...args], { cwd, env: { ...process.env, APOLLO_TELEMETRY_DISABLED: '1' }, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run new-subgraph', function () {
  this.timeout(900_000); // child processes on a shared machine

  it('refuses mistakes with one line and changes nothing; --help writes nothing', async () => {
    const before = { folders: readdirSync(path.join(ROOT, 'subgraphs')).sort(), registry: readFileSync(path.join(ROOT, 'schema/subgraphs.ts'), 'utf8'), policy: readFileSync(path.join(ROOT, 'gateway/auth/policy.ts'), 'utf8') };
    const tries: Record<string, string[]> = {
      'existing name': ['judicial', '--agency', 'Judicial Branch', '--database', 'postgres'],
      'invalid identifier': ['Pardons!', '--agency', 'Board of Pardons and Paroles', '--database', 'postgres'],
      'unknown option': ['pardons', '--agency', 'Board', '--database', 'postgres', '--colour', 'red'],
      'unknown database': ['pardons', '--agency', 'Board', '--database', 'oracle'],
      'existing type': ['pardons', '--agency', 'Board', '--database', 'postgres', '--owns', 'Warrant'],
      'no agency': ['pardons', '--database', 'postgres'],
    };
    const got: Record<string, string> = {};
    for (const [name, args] of Object.entries(tries)) {
      const run = await script(ROOT, 'scripts/new-subgraph.ts', ...args);
      got[name] = `${run.code} ${run.stderr.trim().split('\n').length} line(s): ${run.stderr.trim()}`;
    }
    assert.deepEqual(got, {
      'existing name': '2 1 line(s): new-subgraph: a subgraph named "judicial" already exists (subgraphs/judicial, schema/subgraphs.ts); choose another name',
      'invalid identifier': '2 1 line(s): new-subgraph: "Pardons!" is not a valid subgraph name; expected lower-case letters and digits in words joined by hyphens, starting with a letter, at most 30 characters, e.g. pardons or police-records',
      'unknown option': '2 1 line(s): new-subgraph: unknown option --colour, or it lacks its value; expected <name> --agency "<agency>" --database postgres|mysql [--owns <Type>] (see --help)',
      'unknown database': '2 1 line(s): new-subgraph: --database "oracle" is not supported; expected postgres or mysql',
      'existing type': '2 1 line(s): new-subgraph: type Warrant already exists in the composed schema; name the type this subgraph owns with --owns, e.g. --owns WarrantRecord',
      'no agency': '2 1 line(s): new-subgraph: --agency is required; see --help',
    });
    const help = await script(ROOT, 'scripts/new-subgraph.ts', '--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: npm run new-subgraph -- <name> --agency/);
    const after = { folders: readdirSync(path.join(ROOT, 'subgraphs')).sort(), registry: readFileSync(path.join(ROOT, 'schema/subgraphs.ts'), 'utf8'), policy: readFileSync(path.join(ROOT, 'gateway/auth/policy.ts'), 'utf8') };
    assert.deepEqual(after, before);
  });

  it('writes, registers and composes a subgraph whose own tests pass, in a copy of the project', async () => {
    const copy = mkdtempSync(path.join(os.tmpdir(), 'obts-new-subgraph-'));
    try {
      cpSync(ROOT, copy, { recursive: true, filter: (source) => !/[/\\](node_modules|\.git|\.data)$/.test(source) });
      symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
      const made = await script(copy, 'scripts/new-subgraph.ts', 'pardons', '--agency', 'Board of Pardons and Paroles', '--database', 'postgres');
      assert.equal(made.code, 0, made.stderr);
      assert.match(made.stdout, /added permission "pardons:read" to gateway\/auth\/policy.ts \(no role grants it yet\)/);
      for (const file of ['schema.graphql', 'resolvers.ts', 'loaders.ts', 'inputs.ts', 'index.ts', 'README.md', 'store/index.ts', 'store/schema.ts', 'store/queries.ts', 'store/seed.ts', '__tests__/store.test.ts', '__tests__/subgraph.test.ts']) {
        assert.ok(existsSync(path.join(copy, 'subgraphs/pardons', file)), file);
      }
      // The next port after every registered subgraph's (the registry decides, not the test).
      const port = Math.max(...SUBGRAPHS.map((entry) => entry.defaultPort)) + 1;
      assert.match(readFileSync(path.join(copy, 'schema/subgraphs.ts'), 'utf8'), new RegExp(`agency\\(\\{ name: 'pardons', agency: 'Board of Pardons and Paroles', defaultPort: ${port}, engine: 'postgres', systems: \\['PARDONS'\\] \\}\\),`));
      assert.match(readFileSync(path.join(copy, 'schema/supergraph.graphql'), 'utf8'), /pardons: \[Pardon!\] @join__field\(graph: PARDONS\) @obtsPermission\(requires: "pardons:read"\)/);
      assert.match(readFileSync(path.join(copy, 'docker-compose.yml'), 'utf8'), new RegExp(`PARDONS_URL: http://pardons:${port}/graphql`));
      assert.match(readFileSync(path.join(copy, 'deploy/postgres-init.sql'), 'utf8'), /CREATE DATABASE obts_pardons;/);
      // Everything generated from the registry is current, and the schema change is additive.
      const checks = { compose: (await script(copy, 'schema/compose.ts', '--check')).code, schemaCheck: (await script(copy, 'schema/check.ts')).code };
      assert.deepEqual(checks, { compose: 0, schemaCheck: 0 });
      // The generated subgraph's own test, run as mocha runs it in that project.
      const tests = await script(copy, 'node_modules/mocha/bin/mocha.js', '--no-config', '--node-option', 'import=tsx', '--timeout', '600000', '--exit', 'subgraphs/pardons/__tests__/subgraph.test.ts');
      assert.equal(tests.code, 0, tests.stdout + tests.stderr);
      assert.match(tests.stdout, /4 passing/);
      // A second run refuses: the name exists now.
      assert.equal((await script(copy, 'scripts/new-subgraph.ts', 'pardons', '--agency', 'Board of Pardons and Paroles', '--database', 'postgres')).code, 2);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
