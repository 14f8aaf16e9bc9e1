// Keeps one child process running for `npm start`: a subgraph that exits (its database
// restarted, a crash) is started again after a backoff that doubles from 1 s to 30 s and
// resets once the child has stayed up for a minute. stop() ends it for good: SIGTERM,
// then SIGKILL if it has not exited within the grace period.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/** One supervised process. */
export interface Supervised {
  readonly name: string;
  /** The running child, if any (between a crash and its restart there is none). */
  readonly child: ChildProcess | undefined;
  /** How many times it was restarted. */
  readonly restarts: number;
  /** No more restarts: an exit from now on is final (shutdown has begun). */
  holdRestarts(): void;
  /** Stops it (and its restarts); resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

export interface SuperviseOptions {
  name: string;
  command: string;
  args: string[];
  spawnOptions: SpawnOptions;
  /** Says what happened, one line each (exits, restarts). */
  log: (line: string) => void;
  /** First and longest wait before a restart. */
  backoffMs?: { first: number; max: number };
  /** A child that stayed up this long resets the backoff. */
  stableMs?: number;
}

/** Starts `command` now and keeps it running until stop(). */
export function supervise(options: SuperviseOptions): Supervised {
  const { first, max } = options.backoffMs ?? { first: 1000, max: 30_000 };
  const stableMs = options.stableMs ?? 60_000;
  let child: ChildProcess | undefined;
  let stopping = false;
  let restarts = 0;
  let delay = first;
  let timer: NodeJS.Timeout | undefined;

  const start = () => {
    const startedAt = Date.now();
    const current = spawn(options.command, options.args, options.spawnOptions);
    child = current;
    current.on('error', (error) => options.log(`${options.name}: could not start (${error.message})`));
    current.on('exit', (code, signal) => {
      if (child === current) child = undefined;
      if (stopping) return;
      if (Date.now() - startedAt >= stableMs) delay = first;
      options.log(`${options.name} exited (${signal ? `signal ${signal}` : `code ${code}`}); restarting in ${(delay / 1000).toFixed(delay < 1000 ? 1 : 0)} s`);
      timer = setTimeout(() => {
        restarts += 1;
        start();
      }, delay);
      delay = Math.min(delay * 2, max);
    });
  };
  start();

  return {
    name: options.name,
    get child() { return child; },
    get restarts() { return restarts; },
    holdRestarts() {
      stopping = true;
      clearTimeout(timer);
    },
    async stop(graceMs = 10_000) {
      stopping = true;
      clearTimeout(timer);
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
      running.kill('SIGTERM');
      const killer = setTimeout(() => running.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(killer);
    },
  };
}
