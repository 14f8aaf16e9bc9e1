// --gateway-cores: the gateways (this one, a baseline, Hive Gateway) on cores of their own,
// everything else (subgraphs, load generator, database servers, the bench itself) on the
// rest, as where a gateway host does not share its cores with the agencies' services.
// On a 2-core machine that is one core each: the subgraphs and databases get slower, and
// the gateway's own time is measured without them taking its core. Linux only (taskset,
// from util-linux); the database servers' placement is put back when the run ends.
import { execFileSync, spawnSync } from 'node:child_process';
import os from 'node:os';
import { DATABASE_PROCESS_NAMES, pidsByName } from './cpu.ts';

export interface Placement {
  /** Cores for the gateways, as taskset lists them (e.g. "0"). */
  gateway: string;
  /** Cores for everything else (e.g. "1"). */
  rest: string;
}

let placement: Placement | null = null;

/**
 * Parses a core list ("0", "0,2", "0-1") against this machine, or throws saying what was
 * expected. At least one core must be left for the rest.
 */
export function parsePlacement(list: string): Placement {
  const count = os.cpus().length;
  const cores = new Set<number>();
  for (const part of list.split(',')) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!match) throw new Error(`--gateway-cores ${list}: expected core numbers such as 0 or 0,2 or 0-1`);
    const [from, to] = [Number(match[1]), Number(match[2] ?? match[1])];
    for (let core = from; core <= to; core += 1) cores.add(core);
  }
  const outside = [...cores].filter((core) => core >= count);
  if (outside.length) throw new Error(`--gateway-cores ${list}: this machine has cores 0-${count - 1}`);
  const rest = Array.from({ length: count }, (_, core) => core).filter((core) => !cores.has(core));
  if (!rest.length) throw new Error(`--gateway-cores ${list}: leave at least one of the ${count} cores for the subgraphs and databases`);
  if (spawnSync('taskset', ['-V']).error) throw new Error('--gateway-cores needs taskset (util-linux) on the PATH');
  return { gateway: [...cores].sort((a, b) => a - b).join(','), rest: rest.join(',') };
}

/** Puts this process (and so every child it starts from now on) and the database servers on the rest. */
export function applyPlacement(chosen: Placement): void {
  placement = chosen;
  setAffinity(process.pid, chosen.rest);
  for (const pid of pidsByName(DATABASE_PROCESS_NAMES)) setAffinity(pid, chosen.rest);
}

/** Gives the database servers every core again (the run's end). */
export function releasePlacement(): void {
  if (!placement) return;
  const all = `0-${os.cpus().length - 1}`;
  for (const pid of pidsByName(DATABASE_PROCESS_NAMES)) setAffinity(pid, all);
  placement = null;
}

/** The command and arguments that start a gateway: under taskset on the gateway cores when placed. */
export function gatewayCommand(command: string, args: string[]): [string, string[]] {
  return placement ? ['taskset', ['-c', placement.gateway, command, ...args]] : [command, args];
}

/** The placement in effect, for the report's header. */
export function describePlacement(): string | null {
  return placement && `gateways on core(s) ${placement.gateway}; subgraphs, databases and load generator on ${placement.rest}`;
}

// Private: every thread of `pid` (a database server's too) onto `cores`; a process gone meanwhile is skipped.
function setAffinity(pid: number, cores: string): void {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', cores, String(pid)], { stdio: 'ignore' });
  } catch {
    // exited between the listing and here
  }
}
