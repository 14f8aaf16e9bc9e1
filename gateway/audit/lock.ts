// A cross-process lock that dies with its process (issue 11: a lock file that outlived a
// kill -9 held the audit for ~28 s). The lock is a hard link to an owner file that names
// the process (pid and its start time): link(2) is atomic, so exactly one writer holds it.
// A writer that finds the lock held checks whether the owner still runs (process.kill(pid,
// 0), and on Linux the start time in /proc/<pid>/stat, so a reused pid is not mistaken for
// the owner) and breaks it at once when it does not. Uncontended, taking and releasing it
// costs one link, one stat and one unlink, made synchronously: they touch only the
// directory (no data to wait for on a local file system), and a trip through libuv's thread
// pool cost more than the call (issue 12: the lock was 3 % of the gateway's CPU, `rm` alone
// 2 %). Local file systems only (not NFS).
import { randomUUID } from 'node:crypto';
import { linkSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { link, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** A held lock; release it exactly once. */
export type ReleaseLock = () => Promise<void>;

export interface ProcessLock {
  /** Takes the lock, waiting for a live owner at most `waitMs`; breaks a dead owner's lock at once. */
  acquire(waitMs?: number): Promise<ReleaseLock>;
  /** Removes this process's owner file (call at close). */
  dispose(): Promise<void>;
  /** Stale locks of dead processes broken so far (for tests and the log). */
  readonly broken: number;
}

/** The identity of a process as written in the lock: pid and kernel start time (Linux), or pid alone. */
export function processTag(pid = process.pid): string {
  return `${pid} ${startTime(pid) ?? '-'}`;
}

/** True when the process named by a lock's content still runs. */
export function ownerAlive(content: string): boolean {
  const [pidText, started] = content.trim().split(' ');
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false; // ESRCH: gone
  }
  // Same pid, different start time: the owner died and the pid was reused.
  const now = startTime(pid);
  return !(started && started !== '-' && now && now !== started);
}

export async function openProcessLock(lockFile: string): Promise<ProcessLock> {
  const owner = `${lockFile}.owner-${process.pid}-${randomUUID().slice(0, 8)}`;
  await writeFile(owner, `${processTag()}\n`, { mode: 0o600 });
  await removeDeadOwnerFiles(lockFile);
  let broken = 0;
  const ownerIno = (await stat(owner)).ino;
  return {
    get broken() {
      return broken;
    },
    async acquire(waitMs = 5000) {
      const deadline = Date.now() + waitMs;
      for (let pause = 1; ; pause = Math.min(pause * 2, 8)) {
        try {
          linkSync(owner, lockFile);
          return async () => {
            // Only our own link: after a (rare) break race another owner's lock stays.
            let held;
            try {
              held = statSync(lockFile, { throwIfNoEntry: false });
            } catch {
              return; // cannot tell it is ours: leave it (a dead owner's lock is broken by the next writer)
            }
            if (held?.ino !== ownerIno) return;
            try {
              unlinkSync(lockFile);
            } catch (error) {
              if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
            }
          };
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        }
        if (await breakIfDead(lockFile)) {
          broken += 1;
          continue;
        }
        if (Date.now() > deadline) throw new Error(`audit lock ${lockFile} is held by a running process (${(await readFile(lockFile, 'utf8').catch(() => '?')).trim()}) for more than ${waitMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    },
    dispose: () => rm(owner, { force: true }),
  };
}

// Private: moves a dead owner's lock out of the way (rename is atomic, so two breakers
// cannot both remove it), and puts it back if it turned out to be a live owner's.
async function breakIfDead(lockFile: string): Promise<boolean> {
  let seen;
  try {
    seen = await stat(lockFile);
    if (ownerAlive(await readFile(lockFile, 'utf8'))) return false;
  } catch {
    return true; // released meanwhile: try again at once
  }
  const aside = `${lockFile}.broken-${randomUUID().slice(0, 8)}`;
  try {
    await rename(lockFile, aside);
  } catch {
    return true; // another writer broke it first
  }
  const moved = await stat(aside);
  if (moved.ino !== seen.ino && ownerAlive(await readFile(aside, 'utf8'))) await link(aside, lockFile).catch(() => {});
  await rm(aside, { force: true });
  return true;
}

// Private: owner files left by crashed processes (the lock's hard-link source).
async function removeDeadOwnerFiles(lockFile: string): Promise<void> {
  const prefix = `${path.basename(lockFile)}.owner-`;
  for (const name of await readdir(path.dirname(lockFile)).catch(() => [] as string[])) {
    if (!name.startsWith(prefix)) continue;
    const file = path.join(path.dirname(lockFile), name);
    const content = await readFile(file, 'utf8').catch(() => '');
    if (content && !ownerAlive(content)) await rm(file, { force: true });
  }
}

// Private: field 22 of /proc/<pid>/stat (clock ticks since boot), or null off Linux.
function startTime(pid: number): string | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}
