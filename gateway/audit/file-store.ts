// The embedded audit store: a JSON-lines file, one record per line, written by group
// commit (group-commit.ts) with one synchronous-data write per flush (O_DSYNC, or write and fdatasync), off the event loop. Several
// processes (gateway workers, `npm run audit`) append to the one chain: each flush takes a
// lock the kernel holds (lock.ts), and the chain head lives in memory; only when the file's size
// or inode is not what this process left (another writer appended, retention rewrote it)
// does it read the new tail to re-sync. A torn last line (a crash mid-write) is set aside
// in a side file, recorded as a "torn-write" audit record, and the log goes on (issue 10).
import { constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { open, readFile, readdir, rename, stat, writeFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { chain, type AuditEntry, type AuditRecord } from './record.ts';
import type { AuditInspection, AuditStore, PruneRequest } from './store.ts';
import { groupCommitter, type CheckpointPolicy } from './group-commit.ts';
import { readRange, scanTail, setAsideTornTail, splitLines, syncDirectory, wholeLines, type TornTail } from './jsonl.ts';
import { openProcessLock } from './lock.ts';

/**
 * The log is opened for synchronous data writes where the platform has them: a write
 * returns once its bytes (and the size that reaches them) are on disk, as write then
 * fdatasync would, in one trip through libuv's thread pool instead of two. Linux only:
 * elsewhere (macOS) libuv's fdatasync also flushes the drive's cache and O_DSYNC does not.
 */
const APPEND_DSYNC = process.platform === 'linux' && constants.O_DSYNC ? constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | constants.O_DSYNC : null;

/** How long an append waits for another live writer's flush before it fails (503). */
const LOCK_WAIT_MS = 5000;

export interface FileStoreOptions {
  checkpoints?: CheckpointPolicy;
}

export async function openFileAuditStore(file: string, options: FileStoreOptions = {}): Promise<AuditStore> {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  if (!existsSync(file)) {
    await (await open(file, 'a', 0o600)).close();
    await syncDirectory(path.dirname(file)); // the new directory entry must survive a crash too
  }
  const lock = await openProcessLock(`${file}.lock`);
  let handle: FileHandle | null = null;
  // What this process last left in the file; anything else means re-read the tail.
  let known: { ino: number; size: number } | null = null;
  let head: { seq: number; hash: string } | null = null;

  const withLock = async <T>(work: () => Promise<T>): Promise<T> => {
    const release = await lock.acquire(LOCK_WAIT_MS);
    try {
      return await work();
    } catch (error) {
      known = null; // a failed write may have left part of a line: re-scan next time
      throw error;
    } finally {
      await release();
    }
  };

  // Private, holding the lock: the open handle and the current head; torn bytes set aside.
  const resync = async (): Promise<TornTail | null> => {
    // A log removed under us is started again (verify then names what went missing with it).
    // Synchronous: a stat waits for no data, and a trip through the thread pool costs more.
    let current = statSync(file, { throwIfNoEntry: false });
    if (!current) {
      await (await open(file, 'a', 0o600)).close();
      await syncDirectory(path.dirname(file)); // as at open: the new entry must survive a crash
      current = await stat(file);
    }
    if (handle && known && known.ino === current.ino && known.size === current.size) return null;
    if (!handle || (await handle.stat()).ino !== current.ino) {
      await handle?.close();
      handle = await open(file, APPEND_DSYNC ?? 'a+', 0o600);
    }
    const tail = await scanTail(handle, current.size, isRecord);
    head = tail.last && { seq: tail.last.seq, hash: tail.last.hash };
    known = { ino: current.ino, size: tail.goodEnd };
    return tail.goodEnd < current.size ? setAsideTornTail(file, handle, tail.goodEnd, current.size) : null;
  };

  const committer = groupCommitter(withLock, async (entries) => {
    const torn = await resync();
    const all = torn ? [tornEntry(torn, head?.seq ?? 0), ...entries] : entries;
    const records = all.map((entry) => (head = chain(entry, head)));
    if (records.length) {
      const data = Buffer.from(records.map((record) => JSON.stringify(record) + '\n').join(''));
      for (let written = 0; written < data.length;) written += (await handle!.write(data, written)).bytesWritten;
      if (APPEND_DSYNC === null) await handle!.datasync();
      known!.size += data.length;
    }
    return { records, head };
  }, options.checkpoints ?? null);

  // On start: take the lock once, repair a torn tail, sign a start checkpoint (recovery in milliseconds).
  await committer.checkpoint(options.checkpoints ? 'start' : null);

  const readRecords = async () => {
    const { lines, tornTail } = splitLines(await readFile(file, 'utf8'));
    return { records: lines.map(parseLine), tornTail };
  };

  return {
    describe: file,
    append: (entry: AuditEntry) => committer.append(entry),
    readAll: async () => (await readRecords()).records,
    async readSince(cursor) {
      const reader = await open(file, 'r').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return null;
        throw error;
      });
      if (!reader) return { records: [], cursor: cursor ?? { seq: 0 } };
      try {
        // The inode and size of the file opened, not of whatever the path names a moment later.
        const { ino, size } = await reader.stat();
        // Records from byte `from` on, whole lines only, each with the offset after it.
        const recordsFrom = async (from: number) => wholeLines(await readRange(reader, from, size), from).map((line) => ({ record: parseLine(line.text), end: line.end }));
        const resume = cursor?.file && cursor.hash && cursor.file.ino === ino && cursor.file.offset <= size ? cursor.file : null;
        if (resume) {
          const lines = await recordsFrom(resume.offset);
          let previous = cursor!.hash!;
          const taken: typeof lines = [];
          for (const line of lines) {
            if (!isRecord(line.record) || line.record.prevHash !== previous) break;
            taken.push(line);
            previous = line.record.hash;
          }
          // All of it chained on (a line still being written waits for the next read): done.
          if (taken.length === lines.length) {
            const last = taken.at(-1);
            return { records: taken.map((line) => line.record), cursor: last ? { seq: last.record.seq, hash: last.record.hash, file: { ino, offset: last.end } } : cursor! };
          }
        }
        // From the start: after the cursor's record where it is still there, else everything.
        const lines = await recordsFrom(0);
        const at = cursor?.hash ? lines.findIndex((line) => isRecord(line.record) && line.record.seq === cursor.seq && line.record.hash === cursor.hash) : -1;
        // A torn tail (lines after the last record that do not parse) is not passed: the store sets it aside.
        let lastRecord = lines.length - 1;
        while (lastRecord >= 0 && !isRecord(lines[lastRecord].record)) lastRecord -= 1;
        const records = lines.slice(at + 1, lastRecord + 1).map((line) => line.record);
        const last = lastRecord >= 0 ? lines[lastRecord] : null;
        return { records, cursor: last ? { seq: last.record.seq, hash: last.record.hash, file: { ino, offset: last.end } } : { seq: 0 } };
      } finally {
        await reader.close();
      }
    },
    async inspect(): Promise<AuditInspection> {
      const { records, tornTail } = await readRecords();
      const prefix = `${path.basename(file)}.torn-`;
      const sideFiles = (await readdir(path.dirname(file))).filter((name) => name.startsWith(prefix)).sort();
      return { records, tornTail: tornTail === null ? null : { bytes: Buffer.byteLength(tornTail) }, sideFiles, checkpoints: options.checkpoints ? await options.checkpoints.store.readAll() : [] };
    },
    async prune({ before, retentionDays, reason, user }: PruneRequest) {
      if (!options.checkpoints) throw new Error('retention prunes only with a signed record of what it removed; configure the checkpoint key and store (AUDIT_CHECKPOINT_KEY_FILE)');
      const policy = options.checkpoints;
      let removed = 0;
      await withLock(async () => {
        await resync();
        const lines = splitLines(await readFile(file, 'utf8')).lines;
        // A prefix only: the first record inside the retention period and everything after it stay.
        const keepFrom = lines.findIndex((line) => !(Date.parse(parseLine(line).time) < before.getTime()));
        const cut = keepFrom === -1 ? lines.length : keepFrom;
        if (cut === 0) return;
        const first = parseLine(lines[0]);
        const last = parseLine(lines[cut - 1]);
        // Signed first: a crash after this leaves records the statement covers, never a gap nobody signed for.
        await policy.store.append({
          kind: 'prune', seq: head?.seq ?? 0, hash: head?.hash ?? '0'.repeat(64),
          prune: { before: before.toISOString(), retentionDays, fromSeq: first.seq, toSeq: last.seq, lastHash: last.hash, count: cut, reason, user },
        });
        const temporary = `${file}.prune-${randomUUID()}.tmp`;
        await writeFile(temporary, lines.slice(cut).map((line) => line + '\n').join(''), { mode: 0o600 });
        const written = await open(temporary, 'r');
        await written.sync();
        await written.close();
        await rename(temporary, file);
        await syncDirectory(path.dirname(file));
        known = null;
        removed = cut;
      });
      return removed;
    },
    checkpoints: options.checkpoints?.store ?? null,
    stats: () => committer.stats(),
    close: async () => {
      if (options.checkpoints) await committer.checkpoint('close').catch(() => {});
      await committer.close();
      await handle?.close();
      handle = null;
      await options.checkpoints?.store.close();
      await lock.dispose();
    },
  };
}

/** Parses one line; a line that is not JSON becomes a marker verify reports as broken. */
export function parseLine(line: string): AuditRecord {
  try {
    return JSON.parse(line) as AuditRecord;
  } catch {
    return { unreadable: line } as unknown as AuditRecord;
  }
}

/** Parses a whole log text (whole lines only; see splitLines for the torn tail). */
export function parseLines(text: string): AuditRecord[] {
  return splitLines(text).lines.map(parseLine);
}

function isRecord(value: unknown): value is AuditRecord {
  const record = value as AuditRecord | null;
  return Boolean(record && typeof record === 'object' && typeof record.seq === 'number' && typeof record.hash === 'string' && typeof record.prevHash === 'string');
}

// Private: the audit record that says a torn tail was set aside (and where the bytes are).
function tornEntry(torn: TornTail, afterSeq: number): AuditEntry {
  return {
    event: 'torn-write', time: new Date().toISOString(), requestId: randomUUID(), user: null, ori: null, roles: [], purpose: null,
    operationName: null, documentHash: null, variables: { ...torn, afterSeq }, subgraphs: [], sids: [], outcome: 'error',
    reason: `torn write: ${torn.bytes} byte(s) after record ${afterSeq} (a crash mid-write) set aside in ${torn.sideFile}`, clientAddress: 'local',
  };
}
