// Writes a generated population into every agency store, in batches, and times each
// store's share of the work (for the seed figures in the README).
import type { AgencyStore } from '../subgraphs/shared/module.ts';
import { generateStories } from './generate.ts';
import { writeSyntheticMarker } from '../subgraphs/shared/synthetic.ts';

export interface SeedOptions {
  offenders: number;
  seed: number;
  asOf?: string;
  /** Stories per batch (each store writes a batch with a few multi-row inserts). */
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
  /**
   * Skip a batch a store already holds (its insert hits a duplicate key; each store writes
   * a batch in one transaction, so a batch is there whole or not at all): resumes an
   * interrupted seed, batch boundaries being the same for the same batch size.
   */
  skipExisting?: boolean;
}

/** Whether `error` is a duplicate-key refusal (MariaDB ER_DUP_ENTRY, PostgreSQL 23505). */
function isDuplicateKey(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === 'ER_DUP_ENTRY' || code === '23505';
}

/** Seeds the stores; returns the milliseconds each store spent writing. */
export async function seedStores(stores: Record<string, AgencyStore>, options: SeedOptions): Promise<Record<string, number>> {
  const batchSize = options.batchSize ?? 1000;
  const spent: Record<string, number> = Object.fromEntries(Object.keys(stores).map((name) => [name, 0]));
  for (let start = 0; start < options.offenders; start += batchSize) {
    const stories = generateStories({ offenders: Math.min(batchSize, options.offenders - start), seed: options.seed, asOf: options.asOf, start });
    for (const [name, store] of Object.entries(stores)) {
      const began = performance.now();
      try {
        await store.seed(stories);
      } catch (error) {
        if (!options.skipExisting || !isDuplicateKey(error)) throw error;
      }
      spent[name] += performance.now() - began;
    }
    options.onProgress?.(Math.min(start + batchSize, options.offenders), options.offenders);
  }
  // Each store now holds generated people only: say so (training mode requires the marker).
  for (const store of Object.values(stores)) await writeSyntheticMarker(store, { seed: options.seed, offenders: await store.countPeople() });
  return spent;
}
