// The embedded audit store: a JSON-lines file, one record per line, appended and fsync'd
// before append() resolves. A lock file (created exclusively) serializes writers across
// processes, so the gateway and `npm run audit` never fork the chain.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync, readSync, fstatSync } from 'node:fs';
import path from 'node:path';
import { chain, type AuditEntry, type AuditRecord } from './record.ts';
import type { AuditStore } from './store.ts';

const LOCK_WAIT_MS = 5000;
const STALE_LOCK_MS = 30_000;

export async function openFileAuditStore(file: string): Promise<AuditStore> {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  if (!existsSync(file)) {
    closeSync(openSync(file, 'a', 0o600));
    // The new directory entry must survive a crash too, not only the lines written later.
    const directory = openSync(path.dirname(file), 'r');
    fsyncSync(directory);
    closeSync(directory);
  }
  let queue: Promise<unknown> = Promise.resolve();
  // Private: one writer at a time within this process (the queue) and across processes (the lock file).
  const exclusive = <T>(work: () => T): Promise<T> => {
    const run = queue.then(async () => {
      await lock(`${file}.lock`);
      try {
        return work();
      } finally {
        rmSync(`${file}.lock`, { force: true });
      }
    });
    queue = run.catch(() => {});
    return run;
  };
  return {
    describe: file,
    append: (entry: AuditEntry) => exclusive(() => {
      const record = chain(entry, lastRecord(file));
      const fd = openSync(file, 'a');
      try {
        writeSync(fd, JSON.stringify(record) + '\n');
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      return record;
    }),
    readAll: async () => parseLines(readFileSync(file, 'utf8')),
    prune: (before: Date) => exclusive(() => {
      const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
      const kept = lines.filter((line) => !(Date.parse((JSON.parse(line) as AuditRecord).time) < before.getTime()));
      const temporary = `${file}.prune.tmp`;
      writeFileSync(temporary, kept.map((line) => line + '\n').join(''), { mode: 0o600 });
      const fd = openSync(temporary, 'r');
      fsyncSync(fd);
      closeSync(fd);
      renameSync(temporary, file);
      return lines.length - kept.length;
    }),
    close: async () => {
      await queue;
    },
  };
}

/** Parses the log; a line that is not JSON becomes a marker verify reports as broken. */
export function parseLines(text: string): AuditRecord[] {
  return text.split('\n').filter(Boolean).map((line) => {
    try {
      return JSON.parse(line) as AuditRecord;
    } catch {
      return { unreadable: line } as unknown as AuditRecord;
    }
  });
}

// Private: the last record, read from the end of the file (the log can be large).
function lastRecord(file: string): AuditRecord | null {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return null;
    let length = Math.min(size, 64 * 1024);
    for (;;) {
      const buffer = Buffer.alloc(length);
      readSync(fd, buffer, 0, length, size - length);
      const lines = buffer.toString('utf8').split('\n').filter(Boolean);
      if (lines.length > 1 || length === size) {
        const last = JSON.parse(lines[lines.length - 1]) as AuditRecord;
        if (typeof last.seq !== 'number' || typeof last.hash !== 'string') throw new Error(`${file}: last line is not an audit record; run \`npm run audit -- verify\``);
        return last;
      }
      length = Math.min(size, length * 4);
    }
  } finally {
    closeSync(fd);
  }
}

// Private: takes the lock file, waiting for another writer; a lock older than 30 s is a crashed writer's.
async function lock(lockFile: string): Promise<void> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      closeSync(openSync(lockFile, 'wx', 0o600));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      try {
        if (Date.now() - statSync(lockFile).mtimeMs > STALE_LOCK_MS) rmSync(lockFile, { force: true });
      } catch {
        // removed meanwhile
      }
      if (Date.now() > deadline) throw new Error(`audit log ${lockFile} stays locked; another writer is stuck`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
}
