// Composes the subgraphs' SDL into schema/supergraph.graphql with @apollo/composition.
// `npm run compose` writes it; `npm run compose -- --check` fails when the committed
// file is stale. The gateway serves the committed file (a static supergraph).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'graphql';
import { composeServices } from '@apollo/composition';
import { ROOT, SUBGRAPHS } from './subgraphs.ts';

export const SUPERGRAPH_FILE = path.join(ROOT, 'schema/supergraph.graphql');

/** The supergraph SDL composed from the SDL files now on disk, or the composition errors. */
export function composeSupergraph(): string {
  const result = composeServices(
    SUBGRAPHS.map((entry) => ({
      name: entry.name,
      url: `http://127.0.0.1:${entry.defaultPort}/graphql`,
      typeDefs: parse(readFileSync(path.join(ROOT, entry.sdl), 'utf8')),
    })),
  );
  if (result.errors) {
    throw new Error(`composition failed:\n${result.errors.map((error) => `- ${error.message}`).join('\n')}`);
  }
  return result.supergraphSdl;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const composed = composeSupergraph();
  if (process.argv.includes('--check')) {
    const committed = readFileSync(SUPERGRAPH_FILE, 'utf8');
    if (committed !== composed) {
      console.error('schema/supergraph.graphql is stale: run `npm run compose` and commit it');
      process.exit(1);
    }
    console.log('schema/supergraph.graphql is up to date');
  } else {
    writeFileSync(SUPERGRAPH_FILE, composed);
    console.log(`wrote ${path.relative(ROOT, SUPERGRAPH_FILE)}`);
  }
}
