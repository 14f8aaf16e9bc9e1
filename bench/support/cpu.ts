// CPU time per process from /proc (Linux): user + system ticks of each process, so a
// benchmark can split one run's CPU between the gateway, the subgraphs and the database
// servers. The databases are found by their command names (postgres, mariadbd/mysqld):
// every backend of the server counts, whoever it served.
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/**
 * CPU milliseconds used so far by `pid` (0 when it is gone), or by one thread of it when
 * `tid` is given (a MariaDB connection is a thread of mariadbd: /proc/<tid>/stat would
 * count the whole server).
 */
export function cpuMs(pid: number, tid?: number): number {
  try {
    const stat = readFileSync(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Processes whose command name is one of `names`. */
export function pidsByName(names: string[]): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (names.includes(readFileSync(`/proc/${entry}/comm`, 'utf8').trim())) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

export const DATABASE_PROCESS_NAMES = ['postgres', 'mariadbd', 'mysqld'];

/** A process, or one thread of a process as [pid, tid]. */
export type CpuTarget = number | [pid: number, tid: number];

/** A snapshot of CPU by group; `since` gives the milliseconds each group used after it. */
export function cpuSnapshot(groups: Record<string, () => CpuTarget[]>): { since(): Record<string, number> } {
  const key = (target: CpuTarget) => (typeof target === 'number' ? String(target) : target.join('/'));
  const read = (target: CpuTarget) => (typeof target === 'number' ? cpuMs(target) : cpuMs(target[0], target[1]));
  const take = () => Object.fromEntries(Object.entries(groups).map(([name, targets]) => [name, new Map(targets().map((target) => [key(target), read(target)]))]));
  const before = take();
  return {
    since: () => {
      const after = take();
      return Object.fromEntries(Object.entries(after).map(([name, now]) => {
        let total = 0;
        for (const [target, ms] of now) total += ms - (before[name].get(target) ?? 0);
        return [name, total];
      }));
    },
  };
}
