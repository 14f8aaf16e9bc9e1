// Conviction information only (C.G.S. 54-142k; the rule is subgraphs/shared/dissemination.ts):
// for a request whose purpose is not criminal justice, an OMIS stay of an unsentenced
// person (pretrial detention: a pending case, nonconviction information, 54-142g(c)) is
// withheld, by SID and by inmate number. Sentenced stays, STC time calculations and parole
// are the terms of a sentence (conviction information, 54-142g(b)) and stay. The wrapped
// batches ask the loaders beneath them: no extra statement.
import DataLoader from 'dataloader';
import type { CorrectionLoaders } from './loaders.ts';
import type { IncarcerationRecord } from './store/index.ts';

/** Whether a stay may go to a conviction-only purpose. */
export const isSentencedStay = (stay: IncarcerationRecord): boolean => stay.status !== 'UNSENTENCED';

/** The loaders a conviction-only request reads through. */
export function convictionOnlyLoaders(inner: CorrectionLoaders): CorrectionLoaders {
  const options = { maxBatchSize: 5_000 };
  return {
    ...inner,
    custodyBySid: new DataLoader(async (sids) => (await Promise.all(sids.map((sid) => inner.custodyBySid.load(sid)))).map((stays) => stays.filter(isSentencedStay)), options),
    incarcerationByInmate: new DataLoader(async (inmates) => (await Promise.all(inmates.map((inmate) => inner.incarcerationByInmate.load(inmate)))).map((stay) => (stay && isSentencedStay(stay) ? stay : null)), options),
  };
}
