// Two fixes to @apollo 2.13 that we carry as patches (patches/*.patch, applied by
// patch-package on every `npm install`/`npm ci`); the gateway refuses to start without them.
//
// - The query planner loses a @requires when the field that carries it is itself part of
//   another field's @requires and is fetched from the subgraph the entity came from: it
//   folds that fetch into the earlier one and the field's own input (e.g. judicial's
//   erasedDockets, the disclosure guard's input) never arrives. The upstream Rust planner
//   fixed it (apollographql/router#9967); the JavaScript one has not. Without it tracking
//   would read DPS arrests and DOC custody as if judicial had not answered.
// - The gateway's executor built the operation it shapes each answer with
//   (operationFromDocument) on every request; the patch keeps it per document (its
//   operation and fragment nodes, by identity), as the query plan already is (issue 12:
//   2.9 % of the gateway's busy time under the typical search).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const PATCHES = [
  { pkg: '@apollo/query-planner', file: 'dist/buildPlan.js', marker: 'OBTS-PATCH requires-merge', what: 'the OBTS @requires fix' },
  { pkg: '@apollo/gateway', file: 'dist/executeQueryPlan.js', marker: 'OBTS-PATCH operation-memo', what: 'the OBTS per-document operation memo' },
];

/** Throws, saying how to fix it, when an installed package lacks one of our patches. */
export function assertPlannerPatched(): void {
  const require = createRequire(import.meta.url);
  for (const { pkg, file, marker, what } of PATCHES) {
    const at = path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);
    if (!readFileSync(at, 'utf8').includes(marker)) {
      throw new Error(`${pkg} at ${at} lacks ${what}; expected patches/ to be applied: run "npm ci" (or "npx patch-package")`);
    }
  }
}
