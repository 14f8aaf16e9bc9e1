// npm run new-subgraph -- <name> --agency "<agency name>" --database postgres|mysql [--owns <Type>]
// Writes a subgraph in the house shape under subgraphs/<name>/ (SDL, resolvers, loaders,
// Kysely store with migrate/seed/erasure, entry, README, tests), registers it in
// schema/subgraphs.ts, adds its permission to gateway/auth/policy.ts (granted to no role),
// and composes. Refuses a name that exists or is not a valid identifier, and changes
// nothing when anything fails.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, SUBGRAPHS } from '../schema/subgraphs.ts';
import { deriveNames, type SubgraphNames } from './new-subgraph/names.ts';
import { indexTs, inputsTs, loadersTs, resolversTs, schemaGraphql } from './new-subgraph/templates.ts';
import { storeIndexTs, storeQueriesTs, storeSchemaTs, storeSeedTs } from './new-subgraph/store-templates.ts';
import { fixturesTs, readmeMd, storeTestTs, subgraphTestTs } from './new-subgraph/test-templates.ts';

const USAGE = `Usage: npm run new-subgraph -- <name> --agency "<agency name>" --database postgres|mysql [--owns <Type>]

Writes subgraphs/<name>/ in the house shape, registers it in schema/subgraphs.ts, adds the
permission "<name>:read" to gateway/auth/policy.ts (granted to no role until ROLES lists it)
and runs \`npm run compose\`.

  <name>              lower-case words joined by hyphens, e.g. pardons or police-records
  --agency <name>     the agency that owns the data, e.g. "Board of Pardons and Paroles"
  --database <kind>   the agency's server in a deployment: postgres or mysql (PGlite embedded)
  --owns <Type>       the entity type it owns (default: the name in the singular, e.g. Pardon)
  --help              show this help (writes nothing)

Example: npm run new-subgraph -- pardons --agency "Board of Pardons and Paroles" --database postgres`;

const REGISTRY_MARKER = '  // new-subgraph: agencies above this line';
const POLICY_MARKER = '  // new-subgraph: permissions above this line';

/** Every file of the new subgraph: path relative to subgraphs/<name>/ → content. */
export function subgraphFiles(names: SubgraphNames, root: string): Record<string, string> {
  return {
    'schema.graphql': schemaGraphql(names, root),
    'index.ts': indexTs(names),
    'inputs.ts': inputsTs(names),
    'resolvers.ts': resolversTs(names),
    'loaders.ts': loadersTs(names),
    'store/schema.ts': storeSchemaTs(names),
    'store/queries.ts': storeQueriesTs(names),
    'store/seed.ts': storeSeedTs(names),
    'store/index.ts': storeIndexTs(names),
    '__tests__/fixtures.ts': fixturesTs(names),
    '__tests__/store.test.ts': storeTestTs(names),
    '__tests__/subgraph.test.ts': subgraphTestTs(names),
    'README.md': readmeMd(names),
  };
}

/** `text` with `line` inserted before the marker line, or an error naming the file. */
function insertBefore(text: string, marker: string, line: string, file: string): string {
  const at = text.indexOf(marker);
  if (at < 0) throw new Error(`${file} has no line "${marker.trim()}"; put it back where the list ends`);
  return `${text.slice(0, at)}${line}\n${text.slice(at)}`;
}

function run(argv: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { agency: { type: 'string' }, database: { type: 'string' }, owns: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    const option = /'(-[^']+)'/.exec((error as Error).message)?.[1];
    console.error(`new-subgraph: ${option ? `unknown option ${option}, or it lacks its value` : (error as Error).message.split('\n')[0]}; expected <name> --agency "<agency>" --database postgres|mysql [--owns <Type>] (see --help)`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    console.error(`new-subgraph: expected one subgraph name, got ${positionals.length ? positionals.map((p) => `"${p}"`).join(' ') : 'none'}; see --help`);
    return 2;
  }
  if (values.agency === undefined || values.database === undefined) {
    console.error(`new-subgraph: --${values.agency === undefined ? 'agency' : 'database'} is required; see --help`);
    return 2;
  }
  let names: SubgraphNames;
  try {
    names = deriveNames(ROOT, { name: positionals[0], agency: values.agency, engine: values.database, owns: values.owns, existing: { names: SUBGRAPHS.map((entry) => entry.name), ports: SUBGRAPHS.map((entry) => entry.defaultPort) } });
  } catch (error) {
    console.error(`new-subgraph: ${(error as Error).message}`);
    return 2;
  }

  const folder = path.join(ROOT, 'subgraphs', names.name);
  const registryFile = path.join(ROOT, 'schema/subgraphs.ts');
  const policyFile = path.join(ROOT, 'gateway/auth/policy.ts');
  const before = { registry: readFileSync(registryFile, 'utf8'), policy: readFileSync(policyFile, 'utf8') };
  const generated = ['schema/supergraph.graphql', 'schema/api.graphql', 'docs/schema.md', 'subgraphs/modules.ts', 'docker-compose.yml', 'deploy/postgres-init.sql', 'deploy/mariadb-init.sql'];
  const generatedBefore = Object.fromEntries(generated.map((file) => [file, readFileSync(path.join(ROOT, file), 'utf8')]));
  try {
    const files = subgraphFiles(names, ROOT);
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(folder, file)), { recursive: true });
      writeFileSync(path.join(folder, file), text);
    }
    const systems = JSON.stringify([names.system]).replace(/"/g, "'");
    writeFileSync(registryFile, insertBefore(before.registry, REGISTRY_MARKER, `  agency({ name: '${names.name}', agency: ${JSON.stringify(names.agency).replace(/^"|"$/g, "'")}, defaultPort: ${names.port}, engine: '${names.engine}', systems: ${systems} }),`, 'schema/subgraphs.ts'));
    writeFileSync(policyFile, insertBefore(before.policy, POLICY_MARKER, `  '${names.permission}': ${JSON.stringify(`${names.agency} (${names.system}) records`).replace(/^"|"$/g, "'")},`, 'gateway/auth/policy.ts'));
    const script = (...args: string[]) => execFileSync(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, APOLLO_TELEMETRY_DISABLED: '1' } });
    script('schema/compose.ts');
    // Adding a subgraph only adds to the API: the snapshot analysts' tools are checked against follows.
    script('schema/check.ts', '--update');
    script('schema/docs.ts');
    console.log(`wrote subgraphs/${names.name}/ (${Object.keys(files).length} files), registered it in schema/subgraphs.ts (port ${names.port}, ${names.system}_DATABASE_URL),`);
    console.log(`added permission "${names.permission}" to gateway/auth/policy.ts (no role grants it yet), composed and regenerated ${generated.join(', ')}.`);
    console.log(`Next: grant "${names.permission}" to the roles that may see it (ROLES in gateway/auth/policy.ts), then npm test.`);
    return 0;
  } catch (error) {
    // Leave the project as it was: nothing half-added.
    rmSync(folder, { recursive: true, force: true });
    writeFileSync(registryFile, before.registry);
    writeFileSync(policyFile, before.policy);
    for (const [file, text] of Object.entries(generatedBefore)) writeFileSync(path.join(ROOT, file), text);
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    console.error(`new-subgraph: ${stderr ? `composing the new subgraph failed; nothing was changed:\n${stderr}` : `${(error as Error).message}; nothing was changed`}`);
    return 1;
  }
}

process.exitCode = run(process.argv.slice(2));
