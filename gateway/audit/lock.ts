// A cross-process lock that the kernel holds and drops when its holder dies. It is an
// open-file-description lock on `<file>.lock` (Linux `F_OFD_SETLK`; `flock` on macOS,
// `LockFileEx` on Windows), taken through fs-native-extensions: no pid to check, no stale
// file to break, nothing a second breaker can race.
//
// Before (issue 11), the lock was a hard link to an owner file, and a writer that found
// its owner dead renamed it aside. A review (issue 12) found the race in that: two writers
// breaking the same dead owner's lock while a third took it could put back a lock its
// owner had already released (every append then waited for a live process that held
// nothing: 503 until it exited) or leave two writers each thinking it held the lock.
//
// Uncontended, taking and releasing it is two fcntl calls and a stat (a few µs, against a
// link, a stat and an unlink before). The kernel keeps one lock per open file, so a flag
// keeps two callers of the same ProcessLock apart; two ProcessLocks on one file, in one
// process or two, exclude each other. A lock file removed or replaced while writers run
// (an operator clearing "stale" files, a restore) is noticed at the next acquire: a lock
// on a file nobody else opens would exclude nobody, so the writer opens the file now at
// that name and locks that. Local file systems only (not NFS).
import { closeSync, fstatSync, openSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';

/** A held lock; release it exactly once. */
export type ReleaseLock = () => Promise<void>;

export interface ProcessLock {
  /** Takes the lock, waiting for another holder at most `waitMs` (0: one try). */
  acquire(waitMs?: number): Promise<ReleaseLock>;
  /** Closes the lock file (a lock still held is dropped with it). */
  dispose(): Promise<void>;
}

interface FileLocks {
  tryLock(fd: number): boolean;
  unlock(fd: number): void;
}

let locks: FileLocks | null = null;

// Private: the native binding, loaded on first use so that a platform without a prebuilt
// one fails with what to do instead of a loader's stack.
function fileLocks(): FileLocks {
  if (locks) return locks;
  try {
    locks = createRequire(import.meta.url)('fs-native-extensions') as FileLocks;
  } catch (error) {
    throw new Error(`the audit file store's cross-process lock needs fs-native-extensions, which has no working build for ${process.platform}-${process.arch} here (${(error as Error).message}); use the PostgreSQL audit store (AUDIT_DATABASE_URL) instead`);
  }
  return locks;
}

export async function openProcessLock(lockFile: string): Promise<ProcessLock> {
  const { tryLock, unlock } = fileLocks();
  // Read and write access: a write lock on Linux needs a descriptor open for writing, and on
  // Windows plain append access (what 'a' gives) cannot be locked.
  const openLockFile = () => {
    const opened = openSync(lockFile, 'a+', 0o600);
    try {
      const { dev, ino } = fstatSync(opened);
      return { fd: opened, dev, ino };
    } catch (error) {
      closeSync(opened);
      throw error;
    }
  };
  type LockFile = ReturnType<typeof openLockFile>;
  let file: LockFile | null = openLockFile();
  let held = false;
  // Private, holding the kernel lock on `taken`: whether it is still the file at that name.
  // Anything that fails here lets the kernel lock go before it throws.
  const stillInPlace = (taken: LockFile): boolean => {
    try {
      const now = statSync(lockFile, { throwIfNoEntry: false });
      return Boolean(now && now.ino === taken.ino && now.dev === taken.dev);
    } catch (error) {
      unlock(taken.fd);
      throw error;
    }
  };
  return {
    async acquire(waitMs = 5000) {
      const deadline = Date.now() + waitMs;
      let reopened = 0;
      for (let pause = 1; ; pause = Math.min(pause * 2, 8)) {
        if (file === null) throw new Error(`audit lock ${lockFile} was closed`);
        if (!held && tryLock(file.fd)) {
          if (!stillInPlace(file)) {
            // Locked a file that is no longer the one at that name: take the current one.
            // The replacement is opened first, so a failure keeps this lock object usable.
            const stale = file;
            unlock(stale.fd);
            if (++reopened > 5) throw new Error(`audit lock ${lockFile} keeps being removed or replaced while writers use it; expected it to stay in place`);
            file = openLockFile();
            closeSync(stale.fd);
            continue;
          }
          held = true;
          const mine = file;
          let released = false;
          return async () => {
            if (released) return;
            released = true;
            held = false;
            if (file === mine) unlock(mine.fd);
          };
        }
        if (Date.now() >= deadline) throw new Error(`audit lock ${lockFile} is held ${held ? 'by another caller of this store' : 'by another writer (another process, or another store on the same file in this process)'} for more than ${waitMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    },
    async dispose() {
      if (file === null) return;
      const open = file.fd;
      file = null;
      // Unlocked before it is closed: Windows may free a lock some time after the close.
      if (held) unlock(open);
      held = false;
      closeSync(open);
    },
  };
}
