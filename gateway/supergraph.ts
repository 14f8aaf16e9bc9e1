// Where the gateway's supergraph comes from, and how a newly composed one takes over
// without a restart.
//
// The gateway composes nothing itself: `npm run compose` (or a CI job) writes the file,
// and a watched source notices the change (a stat poll, which also sees editors and
// deploy tools that replace the file by renaming). The new SDL is checked first by every
// listener that derives something from it (the permission index), then handed to
// @apollo/gateway's `update`, which builds the new schema and query planner before it
// swaps; both steps are synchronous, so no request ever sees the new schema with the old
// permission index. If either throws, the old supergraph keeps serving and the reason is
// logged and shown on /ready and /metrics.
import { createHash } from 'node:crypto';
import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import type { SupergraphManager } from '@apollo/gateway';
import { Counter, Gauge, type Registry } from 'prom-client';
import { logger } from '../subgraphs/shared/log.ts';

/** One supergraph the gateway served or serves. */
export interface SupergraphVersion {
  sdl: string;
  /** sha256 of the SDL, hex. */
  hash: string;
  loadedAt: Date;
}

/** Why the newest file was not taken (the previous supergraph kept serving). */
export interface RejectedSupergraph {
  hash: string;
  at: Date;
  reason: string;
}

/** The gateway's supergraph: what it serves now, and the manager ApolloGateway loads it through. */
export interface SupergraphSource {
  manager: SupergraphManager;
  current(): SupergraphVersion;
  /** The last file that was refused, if it is still the newest one seen. */
  rejected(): RejectedSupergraph | undefined;
  /**
   * Registers a step run with each new SDL before the swap (throw to refuse it) and its
   * commit, run right after the swap.
   */
  onSwap(listener: SwapListener): void;
  /** Files taken and refused since start. */
  counts(): { applied: number; rejected: number };
  /** Checks the file now (the poll does this on its own); says what happened. */
  reload(): 'applied' | 'unchanged' | 'rejected' | 'not started';
}

/** A piece of gateway state derived from the SDL (prepare may throw to refuse it). */
export interface SwapListener {
  prepare(sdl: string): unknown;
  commit(prepared: unknown, version: SupergraphVersion): void;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * A supergraph read from `file` and, when `pollMs` > 0, watched: every `pollMs` the file's
 * stat is compared, and a changed file is loaded as described above. `prepare` rewrites
 * each SDL read before it is served (training mode adds provenance to descriptions).
 */
export function fileSupergraph(file: string, pollMs: number, prepare: (sdl: string) => string = (sdl) => sdl): SupergraphSource {
  return createSource(() => prepare(readFileSync(file, 'utf8')), file, pollMs);
}

/** A fixed supergraph (tests, or a caller that passes the SDL itself): never reloads. */
export function fixedSupergraph(sdl: string): SupergraphSource {
  return createSource(() => sdl, undefined, 0);
}

// Private: the shared mechanism; `read` returns the SDL as it is now.
function createSource(read: () => string, file: string | undefined, pollMs: number): SupergraphSource {
  const initialSdl = read();
  let current: SupergraphVersion = { sdl: initialSdl, hash: sha256(initialSdl), loadedAt: new Date() };
  let rejected: RejectedSupergraph | undefined;
  const counts = { applied: 0, rejected: 0 };
  let update: ((sdl: string) => void) | undefined;
  const listeners: SwapListener[] = [];

  const reload = (): 'applied' | 'unchanged' | 'rejected' | 'not started' => {
    if (!update) return 'not started';
    let sdl: string;
    try {
      sdl = read();
    } catch (error) {
      rejected = { hash: '', at: new Date(), reason: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
      counts.rejected += 1;
      logger.error({ file, reason: rejected.reason }, 'supergraph not reloaded; still serving the previous one');
      return 'rejected';
    }
    const hash = sha256(sdl);
    if (hash === current.hash) {
      rejected = undefined;
      return 'unchanged';
    }
    if (rejected?.hash === hash) return 'rejected'; // already refused, already logged
    try {
      const prepared = listeners.map((listener) => listener.prepare(sdl));
      update(sdl);
      current = { sdl, hash, loadedAt: new Date() };
      rejected = undefined;
      listeners.forEach((listener, i) => listener.commit(prepared[i], current));
      counts.applied += 1;
      logger.info({ file, hash: hash.slice(0, 12) }, 'supergraph reloaded');
      return 'applied';
    } catch (error) {
      rejected = { hash, at: new Date(), reason: (error as Error).message.split('\n')[0] };
      counts.rejected += 1;
      logger.error({ file, hash: hash.slice(0, 12), reason: rejected.reason }, 'supergraph not reloaded; still serving the previous one');
      return 'rejected';
    }
  };

  const manager: SupergraphManager = {
    async initialize({ update: apply }) {
      update = apply;
      if (file && pollMs > 0) watchFile(file, { interval: pollMs, persistent: false }, () => void reload());
      return {
        supergraphSdl: current.sdl,
        cleanup: async () => {
          update = undefined;
          if (file && pollMs > 0) unwatchFile(file);
        },
      };
    },
  };

  return {
    manager,
    current: () => current,
    rejected: () => rejected,
    counts: () => ({ ...counts }),
    onSwap: (listener) => void listeners.push(listener),
    reload,
  };
}

/** Puts the served supergraph on /metrics: its hash and load time, and reloads by outcome. */
export function supergraphMetrics(registry: Registry, source: SupergraphSource): void {
  new Gauge({
    name: 'obts_supergraph_info', help: 'The supergraph the gateway serves (value 1; its sha256 in the hash label)', labelNames: ['hash'], registers: [registry],
    collect() { this.reset(); this.set({ hash: source.current().hash }, 1); },
  });
  new Gauge({
    name: 'obts_supergraph_loaded_timestamp_seconds', help: 'When the served supergraph was loaded', registers: [registry],
    collect() { this.set(source.current().loadedAt.getTime() / 1000); },
  });
  new Gauge({
    name: 'obts_supergraph_rejected', help: '1 while the newest supergraph file was refused and an older one serves', registers: [registry],
    collect() { this.set(source.rejected() ? 1 : 0); },
  });
  new Counter({
    name: 'obts_supergraph_reloads_total', help: 'Supergraph files taken (applied) or refused (rejected; the previous one kept serving)', labelNames: ['outcome'], registers: [registry],
    collect() {
      this.reset();
      const counts = source.counts();
      this.inc({ outcome: 'applied' }, counts.applied);
      this.inc({ outcome: 'rejected' }, counts.rejected);
    },
  });
}
