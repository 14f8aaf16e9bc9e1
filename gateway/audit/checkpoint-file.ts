// Checkpoints in a JSON-lines file of their own (AUDIT_CHECKPOINT_FILE), one signed line
// each, fsync'd. Its own kernel-held lock (lock.ts) serializes signers across processes; a torn last
// line is set aside like the log's (jsonl.ts).
import { existsSync, mkdirSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { isCheckpoint, signCheckpoint, type Checkpoint, type CheckpointKey, type CheckpointStore } from './checkpoint.ts';
import { scanTail, setAsideTornTail, splitLines, syncDirectory } from './jsonl.ts';
import { openProcessLock } from './lock.ts';

export async function openFileCheckpointStore(file: string, key: CheckpointKey | null): Promise<CheckpointStore> {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  if (!existsSync(file)) {
    await (await open(file, 'a', 0o600)).close();
    await syncDirectory(path.dirname(file));
  }
  const lock = await openProcessLock(`${file}.lock`);
  return {
    describe: file,
    async append(fields) {
      if (!key) throw new Error('no checkpoint key: this process can read checkpoints but not sign them');
      const release = await lock.acquire();
      let handle: Awaited<ReturnType<typeof open>> | undefined;
      try {
        handle = await open(file, 'a+');
        const { size } = await handle.stat();
        const tail = await scanTail(handle, size, isCheckpoint);
        if (tail.goodEnd < size) await setAsideTornTail(file, handle, tail.goodEnd, size);
        const checkpoint = signCheckpoint(key, fields, tail.last);
        await handle.write(JSON.stringify(checkpoint) + '\n');
        await handle.datasync();
        return checkpoint;
      } finally {
        try {
          await handle?.close();
        } finally {
          await release(); // also when the file could not be opened or closed: the lock never stays behind
        }
      }
    },
    async readAll() {
      const { lines } = splitLines(await readFile(file, 'utf8'));
      return lines.map((line) => {
        try {
          return JSON.parse(line) as Checkpoint;
        } catch {
          return { unreadable: line } as unknown as Checkpoint;
        }
      });
    },
    close: () => lock.dispose(),
  };
}
