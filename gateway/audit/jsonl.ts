// JSON-lines files as the audit uses them (the log and the checkpoint file): find the last
// good line from the end without reading the whole file, and set aside a torn tail. A crash
// (or power loss) mid-write can leave half a line, or zeros, after the last whole record; a
// line counts only when it ends in a newline and parses as what the file holds.
import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

/** The last good line of a file, and where the good part ends (bytes after it are torn). */
export interface Tail<T> {
  last: T | null;
  goodEnd: number;
}

/** Reads backwards from `size` in growing chunks until a whole, valid line is found. */
export async function scanTail<T>(handle: FileHandle, size: number, valid: (value: unknown) => value is T): Promise<Tail<T>> {
  for (let length = Math.min(size, 64 * 1024); ; length = Math.min(size, length * 4)) {
    const start = size - length;
    const buffer = Buffer.alloc(length);
    if (length) await handle.read(buffer, 0, length, start);
    // Walk whole lines from the end; the piece after the last newline is never whole.
    let end = buffer.lastIndexOf(0x0a);
    while (end >= 0) {
      const begin = buffer.lastIndexOf(0x0a, end - 1) + 1;
      if (begin === 0 && start > 0) break; // the line may start before this chunk
      const parsed = parse(buffer.subarray(begin, end).toString('utf8'));
      if (valid(parsed)) return { last: parsed, goodEnd: start + end + 1 };
      end = begin - 1;
    }
    if (length === size) return { last: null, goodEnd: 0 };
  }
}

/** Where a torn tail was set aside, for the audit record that says so. */
export interface TornTail {
  sideFile: string;
  offset: number;
  bytes: number;
  sha256: string;
}

/**
 * Copies the bytes after `goodEnd` to a side file next to the log (kept, never deleted),
 * makes the copy durable, then cuts the log back to its last whole line.
 */
export async function setAsideTornTail(file: string, handle: FileHandle, goodEnd: number, size: number): Promise<TornTail> {
  const torn = Buffer.alloc(size - goodEnd);
  await handle.read(torn, 0, torn.length, goodEnd);
  const sideFile = `${file}.torn-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`;
  const side = await open(sideFile, 'wx', 0o600);
  try {
    await side.write(torn);
    await side.sync();
  } finally {
    await side.close();
  }
  await syncDirectory(path.dirname(file));
  await handle.truncate(goodEnd);
  await handle.sync();
  return { sideFile: path.basename(sideFile), offset: goodEnd, bytes: torn.length, sha256: createHash('sha256').update(torn).digest('hex') };
}

/** Makes a new directory entry (a created or renamed file) survive a crash. */
export async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The bytes of `handle` from `from` to `to` (fewer if the file is shorter). */
export async function readRange(handle: FileHandle, from: number, to: number): Promise<Buffer> {
  const bytes = Buffer.alloc(Math.max(0, to - from));
  let read = 0;
  while (read < bytes.length) {
    const { bytesRead } = await handle.read(bytes, read, bytes.length - read, from + read);
    if (bytesRead === 0) break;
    read += bytesRead;
  }
  return bytes.subarray(0, read);
}

/** The whole (newline-ended, non-empty) lines of `bytes`, which start at file offset `from`, each with the offset after it. */
export function wholeLines(bytes: Buffer, from: number): { text: string; end: number }[] {
  const lines: { text: string; end: number }[] = [];
  for (let start = 0, newline = bytes.indexOf(0x0a); newline !== -1; start = newline + 1, newline = bytes.indexOf(0x0a, start)) {
    if (newline > start) lines.push({ text: bytes.subarray(start, newline).toString('utf8'), end: from + newline + 1 });
  }
  return lines;
}

/** Splits a file into whole lines and the torn piece after the last newline (if any). */
export function splitLines(text: string): { lines: string[]; tornTail: string | null } {
  const end = text.lastIndexOf('\n');
  const lines = text.slice(0, end + 1).split('\n').filter(Boolean);
  const rest = text.slice(end + 1);
  return { lines, tornTail: rest.length ? rest : null };
}

function parse(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
