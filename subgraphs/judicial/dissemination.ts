// Conviction information only (C.G.S. 54-142k; the rule is subgraphs/shared/dissemination.ts):
// for a request whose purpose is not criminal justice, the Judicial loaders are wrapped so
// that nonconviction information never leaves this subgraph, by any path (lists, look-ups
// by number, _entities):
//   CCMS  a case only when at least one count is a conviction, and then only those counts;
//         its bond (pretrial release) is withheld
//   PRAWN warrants, POR protective orders, CIB infractions: none (pending matters and
//         civil or non-criminal records, not convictions)
//   PCMS  probation stays: it is the terms of a sentence
// Each wrapped batch asks the loaders beneath it, so a batch is still a fixed number of
// statements (the case batch adds the charges batch it needs to judge the counts).
import DataLoader from 'dataloader';
import { isConviction } from '../shared/dissemination.ts';
import type { JudicialLoaders } from './loaders.ts';
import type { CourtCaseRecord, CourtChargeRecord } from './store/index.ts';

// Private: the counts that are conviction information (54-142g(b)).
const convictedCounts = (charges: CourtChargeRecord[]) =>
  charges.filter((charge) => isConviction({ disposition: charge.dispositionCode, verdict: charge.verdict, plea: charge.plea }));

/** The loaders a conviction-only request reads through. */
export function convictionOnlyLoaders(inner: JudicialLoaders): JudicialLoaders {
  const options = { maxBatchSize: 10_000 };
  const chargesByDocket = new DataLoader<string, CourtChargeRecord[]>(
    async (dockets) => (await Promise.all(dockets.map((docket) => inner.chargesByDocket.load(docket)))).map(convictedCounts), options);
  // Private: the cases with a conviction, their bond withheld.
  const disclosable = async (cases: CourtCaseRecord[]) => {
    const counts = await Promise.all(cases.map((kase) => chargesByDocket.load(kase.docketNumber)));
    return cases.filter((_, index) => counts[index].length > 0).map((kase) => ({ ...kase, bond: null }));
  };
  const caseByDocket = new DataLoader<string, CourtCaseRecord | null>(async (dockets) => {
    const found = await Promise.all(dockets.map((docket) => inner.caseByDocket.load(docket)));
    const kept = new Map((await disclosable(found.filter((kase): kase is CourtCaseRecord => kase !== null))).map((kase) => [kase.docketNumber, kase]));
    return dockets.map((docket) => kept.get(docket) ?? null);
  }, options);
  const casesBySid = new DataLoader<string, CourtCaseRecord[]>(async (sids) => {
    const lists = await Promise.all(sids.map((sid) => inner.casesBySid.load(sid)));
    return Promise.all(lists.map(disclosable));
  }, options);
  const none = <K, V>(value: V) => new DataLoader<K, V>(async (keys) => keys.map(() => value), options);
  return {
    ...inner,
    caseByDocket,
    casesBySid,
    chargesByDocket,
    warrantsBySid: none([]),
    warrantByNumber: none(null),
    ordersBySid: none([]),
    orderByNumber: none(null),
    protectedPersonsByOrder: none([]),
    infractionsBySid: none([]),
  };
}
