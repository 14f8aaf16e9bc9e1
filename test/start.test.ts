// `npm start` as a newcomer runs it: a real process tree on loopback ports, embedded
// stores. It comes up, restarts a subgraph that was killed, stops everything it started
// on Ctrl-C (gateway first) and leaves no lock; a store emptied behind its back is
// reported instead of silently reseeded.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, SUBGRAPHS } from '../schema/subgraphs.ts';
import { freePorts } from './support/ports.ts';

/** The PIDs of a process's direct children (Linux /proc). */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
const commandLine = (pid: number) => { try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '); } catch { return ''; } };
const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

/** Resolves once `check` is true, polling every 250 ms, or rejects after `seconds`. */
async function until(what: string, seconds: number, check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out after ${seconds} s waiting for ${what}`);
}

describe('npm start', function () {
  this.timeout(600_000);
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let gatewayPort: number;
  let ports: number[];

  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'obts-start-'));
    ports = await freePorts(SUBGRAPHS.length + 2);
    gatewayPort = ports[0];
    env = {
      ...process.env, APOLLO_TELEMETRY_DISABLED: '1', LOG_LEVEL: 'warn', OBTS_DATA_DIR: dataDir, OBTS_SEED_OFFENDERS: '30',
      GATEWAY_PORT: String(gatewayPort), METRICS_PORT: String(ports[SUBGRAPHS.length + 1]), ...Object.fromEntries(SUBGRAPHS.map((entry, i) => [entry.portSetting, String(ports[i + 1])])),
    };
    for (const entry of SUBGRAPHS) delete env[entry.databaseSetting ?? ''];
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  const run = (args: string[] = []) => {
    // Its own process group, as a terminal gives a command: Ctrl-C is SIGINT to the group.
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/start.ts'), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const output = { stdout: '', stderr: '' };
    child.stdout!.on('data', (chunk) => { output.stdout += chunk; });
    child.stderr!.on('data', (chunk) => { output.stderr += chunk; });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, output, exited };
  };

  it('comes up, restarts a killed subgraph, and stops everything it started on Ctrl-C', async () => {
    const { child, output, exited } = run();
    let subgraphPids: number[] = [];
    try {
      await until('the gateway URL', 400, () => output.stdout.includes('OBTS gateway:') || child.exitCode !== null);
      assert.match(output.stdout, new RegExp(`OBTS gateway: http://127\\.0\\.0\\.1:${gatewayPort}/graphql`), output.stderr);
      const ready = await fetch(`http://127.0.0.1:${gatewayPort}/ready`);
      assert.equal(ready.status, 200);
      subgraphPids = childrenOf(child.pid!).filter((pid) => commandLine(pid).includes('index.ts'));
      assert.equal(subgraphPids.length, SUBGRAPHS.length, 'one process per subgraph');

      // kill -9 one subgraph: the supervisor starts it again and the system answers.
      const judicial = subgraphPids.find((pid) => commandLine(pid).includes('/subgraphs/judicial/'))!;
      process.kill(judicial, 'SIGKILL');
      await until('judicial restarted', 240, async () => {
        const now = childrenOf(child.pid!).find((pid) => commandLine(pid).includes('/subgraphs/judicial/'));
        if (!now || now === judicial) return false;
        try {
          return (await fetch(`http://127.0.0.1:${ports[1 + SUBGRAPHS.findIndex((e) => e.name === 'judicial')]}/ready`)).ok;
        } catch {
          return false;
        }
      });
      assert.match(output.stderr, /start: subgraph judicial exited \(signal SIGKILL\); restarting in 1 s/);
      subgraphPids = childrenOf(child.pid!).filter((pid) => commandLine(pid).includes('index.ts'));
      assert.ok(existsSync(path.join(dataDir, 'obts.lock')), 'the run lock is held while it runs');
    } finally {
      process.kill(-child.pid!, 'SIGINT'); // Ctrl-C: the whole group, subgraphs included
    }
    assert.equal(await exited, 0, output.stderr);
    assert.match(output.stdout, /draining the gateway/);
    // The subgraphs waited for the drain (they ignore the group's SIGINT under npm start)
    // and nothing was restarted while it ran.
    const restartsWhileStopping = output.stderr.split('\n').filter((line) => /restarting in/.test(line) && !/judicial exited \(signal SIGKILL\)/.test(line));
    assert.deepEqual(restartsWhileStopping, []);
    assert.deepEqual(subgraphPids.filter(alive), [], 'no subgraph process outlives npm start');
    assert.equal(existsSync(path.join(dataDir, 'obts.lock')), false, 'the lock is released');
  });

  it('refuses to reseed one store while the others hold data, and starts nothing', async () => {
    rmSync(path.join(dataDir, 'judicial'), { recursive: true, force: true });
    const { output, exited } = run();
    assert.equal(await exited, 1);
    assert.match(output.stderr, /^start: judicial is empty while public-safety \(30 people\), correction \(\d+ people\) hold data;/m);
    assert.match(output.stderr, /npm start -- --seed-empty/);
    assert.equal(existsSync(path.join(dataDir, 'obts.lock')), false);
  });

  it('stops before starting anything when a setting cannot work, naming it', async () => {
    env.JUDICIAL_PORT = env.CORRECTION_PORT;
    const { output, exited } = run();
    assert.equal(await exited, 1);
    assert.match(output.stderr, /^start: CORRECTION_PORT=\d+ is also JUDICIAL_PORT; give each listener its own port$/m);
    assert.match(output.stderr, /^start: 1 setting\(s\) to fix; nothing was started$/m);
    assert.equal(output.stdout.includes('OBTS gateway'), false);
    assert.equal(existsSync(path.join(dataDir, 'obts.lock')), false);
  });
});
