// Conviction information only (C.G.S. 54-142k; the rule is subgraphs/shared/dissemination.ts):
// for a request whose purpose is not criminal justice, CCH arrests keep only the charges
// with a conviction disposition, and an arrest with none is withheld (an arrest without a
// conviction is nonconviction information, 54-142g(c)). MNI identity and the Sex Offender
// Registry (a registration follows a conviction, C.G.S. 54-251) are unchanged. The wrapped
// batch asks the arrest loader beneath it: still one batch, no extra statement.
import DataLoader from 'dataloader';
import { isConviction } from '../shared/dissemination.ts';
import type { PublicSafetyLoaders } from './loaders.ts';
import type { ArrestRecord } from './store/index.ts';

// Private: the arrest with its convicted charges only, or null when none is.
function convictionsOf<A extends ArrestRecord>(arrest: A): A | null {
  const charges = arrest.charges.filter((charge) => isConviction({ disposition: charge.courtDisposition?.code ?? null }));
  return charges.length ? { ...arrest, charges } : null;
}

/** The loaders a conviction-only request reads through. */
export function convictionOnlyLoaders(inner: PublicSafetyLoaders): PublicSafetyLoaders {
  return {
    ...inner,
    arrestsBySid: new DataLoader(async (sids) => {
      const lists = await Promise.all(sids.map((sid) => inner.arrestsBySid.load(sid)));
      return lists.map((arrests) => arrests.map(convictionsOf).filter((arrest) => arrest !== null));
    }, { maxBatchSize: 5_000 }),
  };
}
