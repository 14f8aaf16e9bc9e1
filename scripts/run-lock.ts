// Who is using the stores right now. `npm start` holds this lock while the system runs;
// `npm run seed` takes it too, and refuses while another live process holds it on any of
// the same stores (an embedded PGlite store has one writer, and reseeding a server store
// under a running system would hand users a half-written population).
//
// The lock is a JSON file in the data folder naming the holder's PID, command and stores.
// It dies with its process: a holder whose PID no longer runs (kill -9, a power cut) is
// stale, and the next taker replaces it at once instead of waiting for a timeout.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AGENCY_SUBGRAPHS } from '../schema/subgraphs.ts';
import { storeLocation } from '../subgraphs/shared/main.ts';

/** What the lock file says. */
interface LockRecord {
  pid: number;
  command: string;
  since: string;
  /** One line per store: its agency and where it lives (URL without password, or folder). */
  stores: string[];
}

/** Each agency store as the lock names it: `judicial postgres://host:5432/db` or `judicial pglite:/abs/dir`. */
export function storeNames(env: NodeJS.ProcessEnv = process.env): string[] {
  return AGENCY_SUBGRAPHS.map((entry) => {
    const location = storeLocation(entry.name, env);
    if (!location.url) return `${entry.name} pglite:${location.pgliteDir}`;
    const url = new URL(location.url);
    url.password = '';
    url.username = '';
    return `${entry.name} ${url.protocol}//${url.host}${url.pathname}`;
  });
}

/** A held lock; release() removes the file if it is still ours. */
export interface RunLock {
  file: string;
  release(): void;
}

/**
 * Takes the lock in `dataDir` for `command`, or throws an Error saying who holds it, since
 * when, on which stores, and what to do.
 */
export function acquireRunLock(dataDir: string, command: string, stores: string[]): RunLock {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'obts.lock');
  const mine: LockRecord = { pid: process.pid, command, since: new Date().toISOString(), stores };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      writeFileSync(file, `${JSON.stringify(mine)}\n`, { flag: 'wx' });
      return { file, release: () => releaseIfOurs(file) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`cannot write the run lock ${file}: ${(error as Error).message}; check that OBTS_DATA_DIR is writable`);
    }
    const holder = readLock(file);
    if (holder && holder.pid !== process.pid && isAlive(holder.pid)) {
      const shared = holder.stores.filter((store) => stores.includes(store));
      if (shared.length) {
        throw new Error(`${holder.command} (pid ${holder.pid}, since ${holder.since}) is running on ${shared.map((s) => s.split(' ')[0]).join(', ')}; stop it first (Ctrl-C in its terminal, or kill ${holder.pid})`);
      }
      // Another live process on other stores (another OBTS_DATA_DIR would use another file,
      // so this is a different set of servers): leave its lock alone and run without one.
      return { file, release: () => undefined };
    }
    // Stale (its process is gone) or unreadable: take it over.
    rmSync(file, { force: true });
  }
  throw new Error(`could not take the run lock ${file}; another process keeps replacing it`);
}

// Private: the lock's content, or null when it is missing or half-written.
function readLock(file: string): LockRecord | null {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as LockRecord;
    return Number.isInteger(parsed.pid) && Array.isArray(parsed.stores) ? parsed : null;
  } catch {
    return null;
  }
}

// Private: true while a process with this PID exists (EPERM: it exists, owned by another user).
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function releaseIfOurs(file: string): void {
  if (readLock(file)?.pid === process.pid) rmSync(file, { force: true });
}
