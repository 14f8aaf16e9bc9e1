// Running one subgraph as its own process (`tsx subgraphs/<name>/index.ts`, as `npm start`
// and docker-compose do). Each subgraph's index.ts ends with
//   if (isEntry(import.meta.url)) await serve(subgraph);
// so the same module can also be imported by composition, the gateway tests and the seed.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { StoreLocation } from './db.ts';
import type { SubgraphModule } from './module.ts';
import { logger } from './log.ts';
import { startSubgraph } from './server.ts';
import { openWithRetry } from './store-slot.ts';
import { dataDir, subgraphEntry } from '../../schema/subgraphs.ts';

/** True when the module at `moduleUrl` is the script node was started with. */
export function isEntry(moduleUrl: string): boolean {
  return Boolean(process.argv[1]) && pathToFileURL(path.resolve(process.argv[1])).href === moduleUrl;
}

/** Where subgraph `name` keeps its data: its database URL setting, else embedded PGlite. */
export function storeLocation(name: string, env: NodeJS.ProcessEnv = process.env): StoreLocation {
  const entry = subgraphEntry(name);
  const url = entry.databaseSetting ? env[entry.databaseSetting] : undefined;
  return url ? { url } : { pgliteDir: path.join(dataDir(env), name) };
}

/** OBTS_EVENTS: on (default) runs the change relay and event consumers; off runs none (a subgraph that only answers queries, as the benchmarks run them). */
export function eventsEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.OBTS_EVENTS;
  if (value !== undefined && value !== 'on' && value !== 'off') {
    throw new Error(`OBTS_EVENTS="${value}" is not valid; expected on (the default: change relays and consumers run) or off`);
  }
  return value !== 'off';
}

/**
 * Serves the subgraph on its port at once and opens its store, retrying with backoff while
 * the database is unreachable (store-slot.ts: not ready until then); closes both on
 * SIGTERM or SIGINT.
 */
export async function serve(module: SubgraphModule<any, any>, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const entry = subgraphEntry(module.name);
  const events = eventsEnabled(env);
  const slot = openWithRetry(module, storeLocation(module.name, env), { agency: `${module.name} (${entry.agency})`, setting: entry.databaseSetting });
  const running = await startSubgraph(module, slot, { port: Number(env[entry.portSetting] ?? entry.defaultPort) });
  logger.info({ url: running.url }, `${module.name} subgraph listening`);
  // Change relay and event consumers (issue 9), started once the store is open.
  const background = slot.opened.then((store) => {
    logger.info({ store: store.database?.describe ?? 'none' }, `${module.name} store open`);
    return events ? module.background?.(store, env) : undefined;
  }).catch((error) => {
    logger.error({ err: error, subgraph: module.name }, 'background event work failed to start');
    return undefined;
  });
  // Finish requests in flight and close the store (PGlite flushes its files) before exiting.
  const stop = () => void background.then((work) => work?.stop()).then(() => running.stop()).then(() => slot.close()).finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  // Under `npm start` (OBTS_SUPERVISED=1) a terminal's Ctrl-C reaches the whole process
  // group; the supervisor drains the gateway first and then sends SIGTERM, so the subgraph
  // keeps answering the requests in flight until then.
  if (env.OBTS_SUPERVISED === '1') process.on('SIGINT', () => undefined);
  else process.once('SIGINT', stop);
}
