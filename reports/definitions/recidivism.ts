// recidivism: of the people released from DOC in a period (their first release in it),
// the share with a new CCH arrest within 1, 2 and 3 years of that release. A window is
// reported only when it has fully passed for the whole cohort (the period's last day plus
// the window is before today); otherwise its figures are empty and a note says why. A
// walk of the roll (OMIS and CCH on each page).
import type { ReportDefinition, Row } from '../types.ts';
import { walkOffenders, type WalkState } from '../walk.ts';
import { addYears, today } from './common.ts';

const PARTS = [
  { field: 'custody', system: 'OMIS (Department of Correction)', selection: 'custody { releaseDate releaseType }' },
  { field: 'arrests', system: 'CCH (Department of Public Safety)', selection: 'arrests { date }' },
];
const WINDOWS = [1, 2, 3];

export const recidivismReport: ReportDefinition = {
  name: 'recidivism',
  title: 'Recidivism: new arrests after release from DOC',
  summary: 'people released from --from to --to: share re-arrested (CCH) within 1, 2 and 3 years, fully passed windows only',
  kind: 'walk',
  dates: 'period',
  maxPeriodDays: 1827,
  by: ['release-type', 'statewide'],
  columns: [
    { key: 'section', title: 'Section', kind: 'text' },
    { key: 'release_type', title: 'Release type', kind: 'text' },
    { key: 'window_years', title: 'Window (years)', kind: 'number' },
    { key: 'released', title: 'People released', kind: 'number' },
    { key: 'rearrested', title: 'Re-arrested within the window', kind: 'number' },
    { key: 'share', title: 'Share re-arrested', kind: 'number' },
  ],
  charts: { recidivism: { label: 'release_type', value: 'rearrested' } },
  async *run(context) {
    const { from, to, by } = context.options;
    const state: WalkState = { withheld: new Set(), rollWithheld: false };
    const asOf = today();
    const counts = new Map<string, { released: number; rearrested: number[] }>();
    for await (const page of walkOffenders(context, PARTS, state)) {
      if (state.withheld.has('custody')) continue;
      for (const person of page) {
        const releases = (person.custody ?? []).filter((c: any) => c.releaseDate && c.releaseDate >= from! && c.releaseDate <= to!)
          .sort((a: any, b: any) => (a.releaseDate < b.releaseDate ? -1 : 1));
        if (!releases.length) continue;
        const release = releases[0];
        const group = by === 'statewide' ? 'ALL' : release.releaseType ?? 'unknown';
        const entry = counts.get(group) ?? { released: 0, rearrested: WINDOWS.map(() => 0) };
        entry.released += 1;
        const arrests: string[] = state.withheld.has('arrests') ? [] : (person.arrests ?? []).map((a: any) => a.date);
        WINDOWS.forEach((years, index) => {
          const end = addYears(release.releaseDate, years);
          if (arrests.some((date) => date > release.releaseDate && date <= end)) entry.rearrested[index] += 1;
        });
        counts.set(group, entry);
      }
    }
    if (state.withheld.has('custody')) {
      context.note('recidivism follows DOC releases: without OMIS there is no cohort, so the report has no rows');
      return;
    }
    const open = WINDOWS.filter((years) => addYears(to!, years) >= asOf);
    if (open.length) context.note(`the ${open.join(', ')}-year window(s) have not fully passed for people released up to ${to} (today is ${asOf}); their figures are left empty`);
    for (const [group, entry] of [...counts].sort(([a], [b]) => (a < b ? -1 : 1))) {
      for (const [index, years] of WINDOWS.entries()) {
        const passed = !open.includes(years) && !state.withheld.has('arrests');
        const row: Row = { section: 'recidivism', release_type: group, window_years: years, released: entry.released, rearrested: passed ? entry.rearrested[index] : null, share: passed && entry.released ? Number((entry.rearrested[index] / entry.released).toFixed(4)) : null };
        yield row;
      }
    }
  },
};
