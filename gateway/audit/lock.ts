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
// Uncontended, taking and releasing it is two fcntl calls (about 2 µs, against a link, a
// stat and an unlink before). Within one process the kernel sees one holder, so a flag
// keeps two callers of the same lock apart. Local file systems only (not NFS).
import { closeSync, openSync } from 'node:fs';
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
  // Write access: a write lock on Linux needs a descriptor open for writing.
  let fd: number | null = openSync(lockFile, 'a', 0o600);
  let held = false;
  return {
    async acquire(waitMs = 5000) {
      const deadline = Date.now() + waitMs;
      for (let pause = 1; ; pause = Math.min(pause * 2, 8)) {
        if (fd === null) throw new Error(`audit lock ${lockFile} was closed`);
        if (!held && tryLock(fd)) {
          held = true;
          let released = false;
          return async () => {
            if (released) return;
            released = true;
            held = false;
            if (fd !== null) unlock(fd);
          };
        }
        if (Date.now() >= deadline) throw new Error(`audit lock ${lockFile} is held ${held ? 'by another caller in this process' : 'by another running process'} for more than ${waitMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    },
    async dispose() {
      if (fd === null) return;
      const open = fd;
      fd = null;
      held = false;
      closeSync(open);
    },
  };
}
