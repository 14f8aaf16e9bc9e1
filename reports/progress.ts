// Progress of a run on stderr: a bar redrawn in place on a terminal (pages done, rows,
// estimated time left), plain lines otherwise (logs, CI) — about one per tenth of the
// walk, so a long run neither floods a log nor goes silent.
import { readFileSync } from 'node:fs';
export interface Progress {
  /** A page came back: `pages` done so far of `totalPages` (when known), `rows` read so far. */
  page(pages: number, totalPages: number | null, rows: number): void;
  /** A plain message (a note, a phase). */
  line(text: string): void;
  done(): void;
}

export interface ProgressOptions {
  stream?: NodeJS.WriteStream | { write(text: string): unknown; isTTY?: boolean; columns?: number };
  quiet?: boolean;
  now?: () => number;
}

const clock = (seconds: number) => `${Math.floor(seconds / 60)}:${String(Math.round(seconds % 60)).padStart(2, '0')}`;

export function createProgress(options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  const started = now();
  const tty = Boolean(stream.isTTY);
  let drawn = false;
  let lastTenth = -1;
  if (options.quiet) return { page() {}, line() {}, done() {} };
  const describe = (pages: number, total: number | null, rows: number) => {
    const elapsed = (now() - started) / 1000;
    const eta = total && pages ? clock((elapsed / pages) * (total - pages)) : '?';
    return `${pages}${total ? `/${total}` : ''} pages, ${rows.toLocaleString('en-US')} rows, ${clock(elapsed)} elapsed, about ${eta} left`;
  };
  return {
    page(pages, total, rows) {
      if (tty) {
        const width = 24;
        const filled = total ? Math.min(width, Math.round((pages / total) * width)) : 0;
        stream.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${describe(pages, total, rows)}\x1b[K`);
        drawn = true;
        return;
      }
      const tenth = total ? Math.floor((pages / total) * 10) : Math.floor(pages / 10);
      if (tenth !== lastTenth || pages === total) {
        lastTenth = tenth;
        stream.write(`progress: ${describe(pages, total, rows)}\n`);
      }
    },
    line(text) {
      if (drawn) stream.write('\n');
      drawn = false;
      stream.write(`${text}\n`);
    },
    done() {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}

/**
 * This process's peak resident memory, MB. On Linux, VmHWM of /proc/self/status: the peak
 * of this process's own address space. getrusage's maxRSS is not that: Linux keeps the
 * parent's peak across fork and exec, so a report started by a large process (the
 * benchmark, holding the stack) would report the parent's memory as its own.
 */
export function peakMemoryMb(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Math.round(Number(match[1]) / 1024);
  } catch {
    // not Linux: fall back to maxRSS below
  }
  return Math.round(process.resourceUsage().maxRSS / 1024);
}
