// Every core: the gateway as several worker processes behind one port (Node's cluster: the
// primary accepts connections and hands them to the workers in turn). GATEWAY_WORKERS sets
// how many: a whole number, or "auto" for one per core the process may use
// (os.availableParallelism()); unset or 1 is a single process, as before.
//
// What workers share is what several gateway machines behind a load balancer share, so
// the same settings scale out: nothing a request needs lives only in one process's memory
// except caches (query plans, parsed keys). Per-user rate limits and concurrency go to
// Redis (REDIS_URL) when set; the audit store takes several writers (the PostgreSQL audit
// store, or the file store's lock); the subgraph-signing key and the development key are
// files every worker reads (created once, atomically). /metrics answers for the worker
// that took the scrape (scrape each machine; per-worker series need no aggregation for
// rates).
import cluster, { type Worker } from 'node:cluster';
import os from 'node:os';
import { logger } from '../subgraphs/shared/log.ts';

/** How many gateway processes GATEWAY_WORKERS asks for (1 when unset). */
export function gatewayWorkers(env: NodeJS.ProcessEnv = process.env): number {
  const value = env.GATEWAY_WORKERS?.trim();
  if (!value) return 1;
  if (value === 'auto') return os.availableParallelism();
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256) {
    throw new Error(`GATEWAY_WORKERS "${value}" is not valid; expected a whole number from 1 to 256, or auto (one per core: ${os.availableParallelism()} here)`);
  }
  return n;
}

/** Whether this process should start the HTTP gateway itself (a worker, or the only process). */
export function servesHere(workers: number): boolean {
  if (workers <= 1) return true;
  // A worker whose primary is gone (killed outright) has no port left to serve: it stops too.
  if (cluster.isWorker) process.once('disconnect', () => process.exit(0));
  return !cluster.isPrimary;
}

/**
 * The primary: forks `workers` gateway processes, replaces one that dies unexpectedly
 * (at most once a second, so a worker that cannot start does not spin), and on SIGINT or
 * SIGTERM asks every worker to stop and exits when they have.
 */
export function runPrimary(workers: number): void {
  let stopping = false;
  let lastRestart = 0;
  const fork = (): Worker => cluster.fork();
  for (let i = 0; i < workers; i += 1) fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    logger.error({ pid: worker.process.pid, code, signal }, 'gateway worker exited; starting another');
    const wait = Math.max(0, lastRestart + 1000 - Date.now());
    lastRestart = Date.now() + wait;
    setTimeout(fork, wait);
  });
  const stop = () => {
    if (stopping) return;
    stopping = true;
    const running = Object.values(cluster.workers ?? {});
    if (!running.length) process.exit(0);
    for (const worker of running) worker?.process.kill('SIGTERM');
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  logger.info({ workers }, 'gateway primary started its workers');
}
