// A subgraph's store that may not be open yet. A subgraph whose database is unreachable at
// start still comes up: it listens, says "not ready" on /ready with one line naming the
// agency and the setting, answers GraphQL with 503 (so the gateway reports only that
// agency's fields as missing), and keeps trying to open the store with exponential backoff
// and jitter. Once the store opens, it serves. After that, the pools reconnect by
// themselves (subgraphs/shared/pools.ts).
import type { StoreLocation } from './db.ts';
import { redactUrl } from './db.ts';
import type { StoreHandle, SubgraphModule } from './module.ts';
import { logger } from './log.ts';

const SLOT = Symbol('store slot');

/** A store that is open, or being opened. */
export interface StoreSlot<S extends StoreHandle> {
  readonly [SLOT]: true;
  /** The open store, or undefined while it is not open yet. */
  current(): S | undefined;
  /** One line saying why it is not open (agency and setting), or undefined when it is. */
  problem(): string | undefined;
  /** Resolves once the store is open. */
  opened: Promise<S>;
  /** Stops retrying and closes the store if it opened. */
  close(): Promise<void>;
}

export function isStoreSlot<S extends StoreHandle>(value: S | StoreSlot<S>): value is StoreSlot<S> {
  return (value as Partial<StoreSlot<S>>)[SLOT] === true;
}

/** A slot around a store that is already open (tests, the tracking subgraph). */
export function openSlot<S extends StoreHandle>(store: S): StoreSlot<S> {
  return { [SLOT]: true, current: () => store, problem: () => undefined, opened: Promise.resolve(store), close: () => store.close() };
}

export interface RetryOptions {
  /** Who owns the store and where it is configured, for the one-line message. */
  agency: string;
  setting?: string;
  /** First wait after a failure, and the longest (ms). */
  firstDelayMs?: number;
  maxDelayMs?: number;
}

/** Opens `module`'s store at `location`, retrying with backoff until it opens or the slot is closed. */
export function openWithRetry<S extends StoreHandle>(module: SubgraphModule<S, any>, location: StoreLocation, options: RetryOptions): StoreSlot<S> {
  let store: S | undefined;
  let problem: string | undefined = `${options.agency}: store not opened yet`;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  // The setting, not the URL: this line is also the subgraph's /ready answer.
  const where = location.url ? `its database (${options.setting ?? 'database URL'})` : 'its embedded database';
  const opened = (async () => {
    let delay = options.firstDelayMs ?? 500;
    for (let attempt = 1; !closed; attempt += 1) {
      try {
        store = await module.openStore(location);
        if (closed) {
          await store.close();
          break;
        }
        if (attempt > 1) logger.info({ subgraph: module.name, attempt }, `${options.agency}: store opened after ${attempt} attempts`);
        problem = undefined;
        return store;
      } catch (error) {
        problem = `${options.agency} cannot reach ${where}: ${reason(error)}; retrying`;
        // One line an operator can act on; the driver's error goes to the log beside it.
        logger.error({ err: error, subgraph: module.name, database: location.url && redactUrl(location.url), attempt, retryInMs: delay }, problem);
        await new Promise<void>((resolve) => {
          wake = resolve;
          timer = setTimeout(resolve, delay * (0.5 + Math.random() / 2));
        });
        delay = Math.min(delay * 2, options.maxDelayMs ?? 30_000);
      }
    }
    throw new Error(`${options.agency}: store closed before it opened`);
  })();
  opened.catch(() => {}); // a slot closed before opening is not an error anyone awaits
  return {
    [SLOT]: true,
    current: () => store,
    problem: () => problem,
    opened,
    close: async () => {
      closed = true;
      clearTimeout(timer);
      wake?.();
      await store?.close();
    },
  };
}

// Private: the driver's error in a few words (codes like ECONNREFUSED, never a stack).
function reason(error: unknown): string {
  const err = error as { code?: string; message?: string; errors?: { code?: string }[] };
  const code = err.code ?? err.errors?.[0]?.code;
  if (code) return code;
  return (err.message ?? String(error)).split('\n')[0].slice(0, 120);
}
