// Where a report goes: a file written under a temporary name beside the target and renamed
// into place only when the whole report is written (rename is atomic on one file system),
// so a failed run leaves no partial file; or stdout. An existing target is refused
// unless --force; an unwritable folder is refused before any request is sent.
import { accessSync, constants, createWriteStream, existsSync, rmSync, renameSync, statSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { ReportError, usage } from '../errors.ts';

export interface Sink {
  /** Writes text, waiting when the stream asks to (backpressure: memory stays flat). */
  write(text: string): Promise<void>;
  /** Finishes: renames the temporary file into place. */
  commit(): Promise<void>;
  /** Gives up: removes the temporary file. */
  abort(): Promise<void>;
  /** Where the report went, for the closing message. */
  describe: string;
}

/** Checks that `target` may be written (before the run starts); throws a usage error if not. */
export function checkTarget(target: string, force: boolean): void {
  const folder = path.dirname(path.resolve(target));
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw usage(`--out ${target}: the folder ${folder} does not exist; expected a file in an existing folder`);
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw usage(`--out ${target}: the folder ${folder} is not writable; choose another --out`);
  }
  if (existsSync(target)) {
    if (statSync(target).isDirectory()) throw usage(`--out ${target} is a folder; expected a file name`);
    if (!force) throw usage(`--out ${target} already exists; add --force to replace it, or choose another file`);
  }
}

// Private: a writable stream with awaited writes.
function streamWriter(stream: NodeJS.WritableStream) {
  return async (text: string) => {
    if (!stream.write(text)) await once(stream, 'drain');
  };
}

/** A sink writing to `target` through a temporary file in the same folder. */
export function fileSink(target: string): Sink {
  const temporary = path.join(path.dirname(path.resolve(target)), `.${path.basename(target)}.${process.pid}.${Date.now()}.partial`);
  const stream: WriteStream = createWriteStream(temporary, { flags: 'wx', mode: 0o640 });
  let failure: Error | null = null;
  stream.on('error', (error) => {
    failure = error;
  });
  const write = streamWriter(stream);
  const close = async () => {
    if (!stream.closed) {
      stream.end();
      await once(stream, 'close').catch(() => undefined);
    }
  };
  return {
    describe: target,
    async write(text) {
      if (failure) throw new ReportError(`writing ${target} failed: ${(failure as NodeJS.ErrnoException).code ?? failure.message}`);
      await write(text);
    },
    async commit() {
      await close();
      if (failure) {
        rmSync(temporary, { force: true });
        throw new ReportError(`writing ${target} failed: ${(failure as NodeJS.ErrnoException).code ?? (failure as Error).message}`);
      }
      renameSync(temporary, target);
    },
    async abort() {
      await close();
      rmSync(temporary, { force: true });
    },
  };
}

/** A sink writing to stdout (nothing to roll back: the reader sees the error on stderr). */
export function stdoutSink(): Sink {
  const write = streamWriter(process.stdout);
  return { describe: 'standard output', write, commit: async () => undefined, abort: async () => undefined };
}
