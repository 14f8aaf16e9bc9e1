// The command-line frame of the npm scripts, the run lock, the supervisor and the
// preflight checks of `npm start`, each against real processes, sockets and databases.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { helpText, parseCommandLine, UsageError, wholeNumber, defineCli } from '../cli.ts';
import { acquireRunLock } from '../run-lock.ts';
import { supervise } from '../supervisor.ts';
import { databaseProblem, preflight } from '../preflight.ts';
import { freePorts } from '../../test/support/ports.ts';

// Listener ports the preflight checks, free now (fixed numbers in the ephemeral range were
// sometimes taken by another connection's local port: a false "in use").
async function freeListenerPorts() {
  const [metrics, publicSafety, judicial, correction, tracking, notifications, gateway] = await freePorts(7);
  return { env: { METRICS_PORT: String(metrics), PUBLIC_SAFETY_PORT: String(publicSafety), JUDICIAL_PORT: String(judicial), CORRECTION_PORT: String(correction), TRACKING_PORT: String(tracking), NOTIFICATIONS_PORT: String(notifications) }, gateway };
}
import { POSTGRES_ADMIN_URL, MYSQL_ADMIN_URL } from '../../test/support/databases.ts';

const spec = defineCli({
  command: 'demo',
  summary: 'A demonstration command.',
  options: { count: { type: 'string', value: 'N', help: 'how many' }, force: { type: 'boolean', help: 'overwrite' } },
  examples: ['npm run demo -- --count 3'],
});

describe('scripts: command lines', () => {
  it('parses declared options and refuses unknown ones, missing values and stray arguments in one line', () => {
    assert.deepEqual(parseCommandLine(spec, ['--count', '3', '--force'])?.values, { count: '3', force: true });
    const refusal = (argv: string[]) => {
      try {
        parseCommandLine(spec, argv);
      } catch (error) {
        assert.ok(error instanceof UsageError);
        return error.message;
      }
      return 'accepted';
    };
    assert.equal(refusal(['--colour', 'red']), 'unknown option --colour; see `npm run demo -- --help`');
    assert.equal(refusal(['--count']), 'option --count needs a value; see `npm run demo -- --help`');
    assert.equal(refusal(['extra']), 'unexpected argument extra; see `npm run demo -- --help`');
  });

  it('prints help with every option and an example, and returns null so nothing runs', () => {
    const text = helpText(spec);
    assert.match(text, /^npm run demo -- \[options\]/);
    assert.match(text, /--count N\s+how many/);
    assert.match(text, /--force\s+overwrite/);
    assert.match(text, /Examples:\n {2}npm run demo -- --count 3/);
    const printed: string[] = [];
    const log = console.log;
    console.log = (line: string) => void printed.push(line);
    try {
      assert.equal(parseCommandLine(spec, ['--help']), null);
    } finally {
      console.log = log;
    }
    assert.deepEqual(printed, [text]);
  });

  it('checks whole numbers and names the option', () => {
    assert.equal(wholeNumber(undefined, 'offenders', 10, 1, 100), 10);
    assert.equal(wholeNumber('42', 'offenders', 10, 1, 100), 42);
    for (const bad of ['0', '101', '1.5', '1e2', 'ten', '']) {
      assert.throws(() => wholeNumber(bad, 'offenders', 10, 1, 100), new UsageError(`--offenders "${bad}" is not valid; expected a whole number from 1 to 100`));
    }
  });

  it('every npm script answers --help without side effects and refuses a bad option with exit code 2', function () {
    this.timeout(120_000);
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'obts-cli-'));
    try {
      for (const script of ['start', 'seed', 'token', 'audit']) {
        const env = { ...process.env, OBTS_DATA_DIR: dataDir, APOLLO_TELEMETRY_DISABLED: '1' };
        const help = spawnSync(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, '--help'], { env, encoding: 'utf8' });
        assert.equal(help.status, 0, `${script} --help: ${help.stderr}`);
        assert.match(help.stdout, /Options:[\s\S]*Examples:/, script);
        const bad = spawnSync(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, '--no-such-option'], { env, encoding: 'utf8' });
        assert.equal(bad.status, 2, script);
        assert.equal(bad.stderr.trim(), `${script}: unknown option --no-such-option; see \`npm run ${script} -- --help\``);
      }
      assert.deepEqual(readdir(dataDir), [], '--help and refusals write nothing');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('bench:events answers --help and refuses a bad option or value in one line, before starting anything', function () {
    this.timeout(60_000);
    const env = { ...process.env, APOLLO_TELEMETRY_DISABLED: '1' };
    const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'bench/events.ts', ...args], { env, encoding: 'utf8' });
    const help = run('--help');
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /--changes N[\s\S]*--modes LIST[\s\S]*Examples:/);
    for (const [args, message] of [
      [['--no-such-option'], 'bench:events: unknown option --no-such-option; see `npm run bench:events -- --help`'],
      [['--changes', '5'], 'bench:events: --changes "5" is not valid; expected a whole number from 10 to 100000'],
      [['--modes', 'kafka'], 'bench:events: --modes "kafka" is not valid; expected feed, nats or feed,nats'],
      [['--nats', 'nats://10.1.2.3:4222'], 'bench:events: --nats "nats://10.1.2.3:4222" is not on loopback; the benchmark talks to loopback only (e.g. nats://127.0.0.1:4222)'],
    ] as const) {
      const bad = run(...args);
      assert.equal(bad.status, 2, args.join(' '));
      assert.equal(bad.stderr.trim(), message);
      assert.equal(bad.stdout, '', 'nothing started');
    }
  });
});

function readdir(dir: string): string[] {
  return existsSync(dir) ? spawnSync('ls', ['-A', dir], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean) : [];
}

describe('scripts: run lock', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'obts-lock-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A live process holding the lock file (its PID written in it), until it is killed. */
  const holder = (stores: string[]) => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    writeFileSync(path.join(dir, 'obts.lock'), JSON.stringify({ pid: child.pid, command: 'npm start', since: '2026-12-01T10:00:00.000Z', stores }));
    return child;
  };

  it('refuses a second taker on the same stores, naming the holder and what to do', async () => {
    const child = holder(['judicial pglite:/x/judicial']);
    try {
      assert.throws(() => acquireRunLock(dir, 'npm run seed', ['judicial pglite:/x/judicial']), {
        message: `npm start (pid ${child.pid}, since 2026-12-01T10:00:00.000Z) is running on judicial; stop it first (Ctrl-C in its terminal, or kill ${child.pid})`,
      });
    } finally {
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });

  it('takes over at once from a holder that was killed, and releases only its own lock', async () => {
    const child = holder(['judicial pglite:/x/judicial']);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const lock = acquireRunLock(dir, 'npm run seed', ['judicial pglite:/x/judicial']);
    assert.equal(JSON.parse(readFileSync(lock.file, 'utf8')).pid, process.pid);
    lock.release();
    assert.equal(existsSync(lock.file), false);
  });
});

describe('scripts: supervisor', () => {
  it('restarts a child that exits, with a growing backoff, until stopped', async function () {
    this.timeout(30_000);
    const lines: string[] = [];
    const supervised = supervise({
      name: 'flaky', command: process.execPath, args: ['-e', 'process.exit(3)'], spawnOptions: { stdio: 'ignore' },
      log: (line) => void lines.push(line), backoffMs: { first: 50, max: 200 }, stableMs: 60_000,
    });
    for (let tries = 0; tries < 200 && supervised.restarts < 3; tries += 1) await new Promise((resolve) => setTimeout(resolve, 50));
    await supervised.stop();
    assert.ok(supervised.restarts >= 3, `restarted ${supervised.restarts} times`);
    assert.deepEqual(lines.slice(0, 3), ['flaky exited (code 3); restarting in 0.1 s', 'flaky exited (code 3); restarting in 0.1 s', 'flaky exited (code 3); restarting in 0.2 s']);
  });

  it('stops a running child with SIGTERM', async () => {
    const supervised = supervise({ name: 'sleeper', command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'], spawnOptions: { stdio: 'ignore' }, log: () => undefined });
    const child = supervised.child!;
    await supervised.stop();
    assert.equal(child.signalCode, 'SIGTERM');
    assert.equal(supervised.child, undefined);
  });
});

describe('scripts: preflight of npm start', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'obts-preflight-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('names a taken port, a port out of range and two listeners on one port', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      const report = await preflight({
        env: { METRICS_PORT: '45125', PUBLIC_SAFETY_PORT: '70000', JUDICIAL_PORT: String(port), CORRECTION_PORT: '45123', TRACKING_PORT: '45123' },
        gatewayHost: '127.0.0.1', gatewayPort: 45124, dataDir: dir, audit: { file: path.join(dir, 'audit', 'audit.jsonl') },
      });
      assert.deepEqual(report.problems, [
        'PUBLIC_SAFETY_PORT="70000" is not a port; expected a whole number from 1 to 65535',
        'TRACKING_PORT=45123 is also CORRECTION_PORT; give each listener its own port',
        `JUDICIAL_PORT=${port}: port ${port} on 127.0.0.1 is in use; stop what listens there or choose another port`,
      ]);
    } finally {
      taken.close();
    }
  });

  it('names a NATS_URL that is no NATS address and a NATS_PREFIX that is no stream prefix', async () => {
    const { env: ports, gateway } = await freeListenerPorts();
    const check = async (env: Record<string, string>) => (await preflight({ env: { ...ports, ...env }, gatewayHost: '127.0.0.1', gatewayPort: gateway, dataDir: dir, audit: { file: path.join(dir, 'audit', 'audit.jsonl') } })).problems.filter((p) => p.startsWith('NATS_'));
    assert.deepEqual(await check({ NATS_URL: 'http://127.0.0.1:4222', NATS_PREFIX: 'OBTS-Test' }), [
      'NATS_URL="http://127.0.0.1:4222" is not a NATS server address; expected e.g. nats://127.0.0.1:4222',
      'NATS_PREFIX "OBTS-Test" is not a stream prefix; expected a lower-case letter then up to 23 letters, digits or _ (e.g. obts)',
    ]);
    assert.deepEqual(await check({ NATS_URL: 'nats://127.0.0.1:4222', NATS_PREFIX: 'obts_dev' }), []);
    assert.deepEqual(await check({ NATS_URL: '127.0.0.1:4222' }), []);
  });

  it('names an OBTS_EVENTS that is neither on nor off', async () => {
    const { env: ports, gateway } = await freeListenerPorts();
    const check = async (env: Record<string, string>) => (await preflight({ env: { ...ports, ...env }, gatewayHost: '127.0.0.1', gatewayPort: gateway, dataDir: dir, audit: { file: path.join(dir, 'audit', 'audit.jsonl') } })).problems.filter((p) => p.startsWith('OBTS_EVENTS'));
    assert.deepEqual(await check({ OBTS_EVENTS: 'of' }), ['OBTS_EVENTS="of" is not valid; expected on (the default: change relays and consumers run) or off']);
    assert.deepEqual(await check({ OBTS_EVENTS: 'off' }), []);
    assert.deepEqual(await check({}), []);
  });

  it('names a folder it cannot write', async () => {
    const file = path.join(dir, 'a-file');
    writeFileSync(file, '');
    const { env: ports, gateway } = await freeListenerPorts();
    const report = await preflight({ env: ports, gatewayHost: '127.0.0.1', gatewayPort: gateway, dataDir: path.join(file, 'data'), audit: { file: path.join(dir, 'audit', 'audit.jsonl') } });
    assert.equal(report.problems.length, 1, report.problems.join('\n'));
    assert.match(report.problems[0], /^OBTS_DATA_DIR: cannot write .*a-file\/data \(ENOTDIR\); expected a folder this user can write$/);
  });

  it('tells a missing database and a bad URL (fix it) from a server that does not answer (start without it)', async () => {
    const missing = new URL(POSTGRES_ADMIN_URL);
    missing.pathname = '/obts_no_such_database';
    assert.deepEqual(await databaseProblem(missing.toString()), { kind: 'config', message: `names database "obts_no_such_database", which does not exist at ${missing.hostname}:${missing.port}; create it (deploy/postgres-init.sql shows how)` });
    const missingMysql = new URL(MYSQL_ADMIN_URL);
    missingMysql.pathname = '/obts_no_such_database';
    assert.equal((await databaseProblem(missingMysql.toString()))?.kind, 'config');
    assert.equal(await databaseProblem(POSTGRES_ADMIN_URL), null);
    assert.equal(await databaseProblem(MYSQL_ADMIN_URL), null);
    assert.deepEqual(await databaseProblem('redis://127.0.0.1:6379'), { kind: 'config', message: 'has scheme "redis:"; expected postgres:// or mysql://' });
    // A closed loopback port: nothing listens, so the agency starts degraded.
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    assert.deepEqual(await databaseProblem(`postgres://postgres@127.0.0.1:${port}/x`), { kind: 'unreachable', message: `does not answer at 127.0.0.1:${port} (ECONNREFUSED)` });
    const listeners = await freeListenerPorts();
    const report = await preflight({
      env: { ...listeners.env, JUDICIAL_DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/x` },
      gatewayHost: '127.0.0.1', gatewayPort: listeners.gateway, dataDir: dir, audit: { file: path.join(dir, 'audit', 'audit.jsonl') },
    });
    assert.deepEqual(report.problems, []);
    assert.deepEqual(Object.keys(report.unreachable), ['judicial']);
    assert.match(report.unreachable.judicial, /^Judicial Branch \(judicial\): JUDICIAL_DATABASE_URL does not answer at 127\.0\.0\.1:\d+ \(ECONNREFUSED\); starting without it/);
  });
});
