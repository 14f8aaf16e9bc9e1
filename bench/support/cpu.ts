// CPU time per process from /proc (Linux): user + system ticks of each process, so a
// benchmark can split one run's CPU between the gateway, the subgraphs and the database
// servers. The databases are found by their command names (postgres, mariadbd/mysqld):
// every backend of the server counts, whoever it served.
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU milliseconds used so far by `pid` (0 when it is gone). */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
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

/** A snapshot of CPU by group; `since` gives the milliseconds each group used after it. */
export function cpuSnapshot(groups: Record<string, () => number[]>): { since(): Record<string, number> } {
  const take = () => Object.fromEntries(Object.entries(groups).map(([name, pids]) => [name, new Map(pids().map((pid) => [pid, cpuMs(pid)]))]));
  const before = take();
  return {
    since: () => {
      const after = take();
      return Object.fromEntries(Object.entries(after).map(([name, now]) => {
        let total = 0;
        for (const [pid, ms] of now) total += ms - (before[name].get(pid) ?? 0);
        return [name, total];
      }));
    },
  };
}
