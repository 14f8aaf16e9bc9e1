// The query planner of @apollo/gateway 2.13 loses a @requires when the field that carries
// it is itself part of another field's @requires and is fetched from the subgraph the
// entity came from: it folds that fetch into the earlier one and the field's own input
// (e.g. judicial's erasedDockets, the disclosure guard's input) never arrives. The upstream
// Rust planner fixed it (apollographql/router#9967); the JavaScript one has not. We carry a
// one-line fix as a patch (patches/@apollo+query-planner+*.patch, applied by patch-package
// on every `npm install`/`npm ci`). Without it tracking would read DPS arrests and DOC
// custody as if judicial had not answered, so the gateway refuses to start.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const MARKER = 'OBTS-PATCH requires-merge';

/** Throws, saying how to fix it, when the installed query planner lacks our patch. */
export function assertPlannerPatched(): void {
  const require = createRequire(import.meta.url);
  const file = path.join(path.dirname(require.resolve('@apollo/query-planner/package.json')), 'dist', 'buildPlan.js');
  if (!readFileSync(file, 'utf8').includes(MARKER)) {
    throw new Error(`the query planner at ${file} lacks the OBTS @requires fix; expected patches/ to be applied: run "npm ci" (or "npx patch-package")`);
  }
}
