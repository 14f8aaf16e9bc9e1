// `--baseline REF`: this gateway as it was at a git commit, as one more contender over the
// same subgraph processes, so a change to the gateway is measured against what it replaces
// in one interleaved run (on 2 cores, figures from two runs differ by more than most
// changes). The commit is checked out into a temporary git worktree that shares this
// checkout's node_modules, which is why its package-lock.json must be the same.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../../schema/subgraphs.ts';
import type { Contender } from './hive.ts';
import { descendants, spawnGateway, stopChild, type System } from './system.ts';

function git(args: string[]): string {
  const run = spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`git ${args.join(' ')}: ${(run.stderr || run.stdout).trim().split('\n')[0]}`);
  return run.stdout.trim();
}

/** Resolves `ref` to a commit, or says why it cannot be a baseline (unknown ref, another lockfile). */
export function checkBaseline(ref: string): string {
  if (!/^[\w./~^@{}-]{1,100}$/.test(ref)) throw new Error(`--baseline ${ref}: expected a git commit, branch or tag (e.g. HEAD~1)`);
  let commit: string;
  try {
    commit = git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    throw new Error(`--baseline ${ref}: no such commit in this repository (expected e.g. HEAD~1, main, a commit id)`);
  }
  const lock = spawnSync('git', ['show', `${commit}:package-lock.json`], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (lock.status !== 0 || lock.stdout !== readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) {
    throw new Error(`--baseline ${ref}: its package-lock.json differs from this checkout's; the baseline shares this node_modules, so it must have the same dependencies`);
  }
  return commit;
}

/** Starts the gateway of `commit` on `port` beside `system`'s own, with its own audit log (and `extraEnv`: the tap's subgraph URLs). */
export async function startBaseline(system: System, commit: string, ports: { port: number; metricsPort: number }, extraEnv: NodeJS.ProcessEnv = {}): Promise<Contender> {
  const tree = mkdtempSync(path.join(os.tmpdir(), 'obts-baseline-'));
  const remove = () => {
    spawnSync('git', ['worktree', 'remove', '--force', tree], { cwd: ROOT });
    if (existsSync(tree)) rmSync(tree, { recursive: true, force: true });
    spawnSync('git', ['worktree', 'prune'], { cwd: ROOT });
  };
  try {
    git(['worktree', 'add', '--detach', '--force', tree, commit]);
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(tree, 'node_modules'), 'dir');
  } catch (error) {
    remove();
    throw error;
  }
  const env: NodeJS.ProcessEnv = {
    ...system.gatewayProcessEnv(),
    GATEWAY_PORT: String(ports.port), METRICS_PORT: String(ports.metricsPort),
    AUDIT_LOG_FILE: path.join(system.dataDir, 'audit-baseline', 'audit.jsonl'), ...extraEnv,
  };
  let child: ChildProcess;
  try {
    child = await spawnGateway({ root: tree, env, port: ports.port, name: 'gateway-baseline', what: `the baseline gateway (${commit.slice(0, 10)})` });
  } catch (error) {
    remove();
    throw error;
  }
  // On Ctrl-C the child goes at once; a worktree left behind goes with the next `git worktree prune`.
  process.once('exit', () => child.kill('SIGKILL'));
  const token = await system.token();
  return {
    name: `OBTS at ${commit.slice(0, 10)}`,
    url: `http://127.0.0.1:${ports.port}/graphql`,
    headers: { authorization: `Bearer ${token}`, 'x-obts-purpose': 'C' },
    ownClockUrl: `http://127.0.0.1:${ports.metricsPort}/metrics`,
    pids: () => (child.pid ? [child.pid, ...descendants(child.pid)] : []),
    stop: async () => {
      await stopChild(child);
      remove();
    },
  };
}
