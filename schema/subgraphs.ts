// The one registry of the subgraphs the gateway federates. Everything that needs the list
// reads it from here: the module map (subgraphs/index.ts imports each folder by name),
// composition, the gateway, `npm start`, `npm run seed`, the test stack, the generated
// docker-compose.yml and database init scripts (deploy/generate.ts), and the cross-cutting
// tests. `npm run new-subgraph` adds one line above the marker below; nothing else lists
// the agencies.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Which server an agency's database runs on in a deployment (embedded PGlite in development). */
export type Engine = 'postgres' | 'mysql';

export interface SubgraphEntry {
  /** Subgraph name in the supergraph (also the folder under subgraphs/). */
  name: string;
  /** The agency that owns it. */
  agency: string;
  /** Setting with the subgraph's URL as the gateway reaches it. */
  urlSetting: string;
  /** Setting with the port the subgraph listens on. */
  portSetting: string;
  defaultPort: number;
  /** Setting with the agency's database URL (unset means embedded PGlite); none for a subgraph without a store. */
  databaseSetting?: string;
  /** The database server the agency runs on (docker-compose.yml, the test stack on real servers). */
  engine?: Engine;
  /** SDL file, relative to the project root. */
  sdl: string;
  /** The agency's source systems this subgraph answers for (named in errors and the schema reference). */
  systems: string[];
  /** Its process entry, relative to the project root, when not subgraphs/<name>/index.ts. */
  main?: string;
  /** Settings of its own in docker-compose.yml (a service of OBTS's, not an agency's). */
  composeEnvironment?: Record<string, string>;
}

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A subgraph with a data store of its own (an agency's). */
export type AgencySubgraphEntry = SubgraphEntry & { databaseSetting: string; engine: Engine };

/** What one line of the registry says; the settings' names follow from the subgraph's name. */
interface AgencyLine { name: string; agency: string; defaultPort: number; engine: Engine; systems: string[] }

/** `public-safety` → `PUBLIC_SAFETY`: the prefix of a subgraph's settings. */
export function settingPrefix(name: string): string {
  return name.toUpperCase().replace(/-/g, '_');
}

function agency(line: AgencyLine): AgencySubgraphEntry {
  const prefix = settingPrefix(line.name);
  return {
    ...line,
    urlSetting: `${prefix}_URL`,
    portSetting: `${prefix}_PORT`,
    databaseSetting: `${prefix}_DATABASE_URL`,
    sdl: `subgraphs/${line.name}/schema.graphql`,
  };
}

/** The agency subgraphs: each answers from its own store. */
export const AGENCY_SUBGRAPHS: AgencySubgraphEntry[] = [
  agency({ name: 'public-safety', agency: 'Department of Public Safety', defaultPort: 4001, engine: 'mysql', systems: ['MNI/CCH', 'SOR'] }),
  agency({ name: 'judicial', agency: 'Judicial Branch', defaultPort: 4002, engine: 'postgres', systems: ['CCMS', 'CIB', 'PRAWN', 'POR', 'PCMS'] }),
  agency({ name: 'correction', agency: 'Department of Correction', defaultPort: 4003, engine: 'postgres', systems: ['OMIS', 'STC', 'Parole'] }),
  // new-subgraph: agencies above this line (one line each)
];

/** Every subgraph: the agencies, then tracking, which derives status and timeline from their fields (no store). */
export const SUBGRAPHS: SubgraphEntry[] = [
  ...AGENCY_SUBGRAPHS,
  { name: 'tracking', agency: 'OBTS tracking (derived from every agency)', urlSetting: 'TRACKING_URL', portSetting: 'TRACKING_PORT', defaultPort: 4004, sdl: 'subgraphs/tracking/schema.graphql', systems: ['status', 'timeline'] },
  // Issue 9: subscriptions and deliveries; its own small store (no offender data) and process.
  { name: 'notifications', agency: 'OBTS notifications (subscriptions and deliveries)', urlSetting: 'NOTIFICATIONS_URL', portSetting: 'NOTIFICATIONS_PORT', defaultPort: 4005, databaseSetting: 'NOTIFICATIONS_DATABASE_URL', sdl: 'notifications/schema.graphql', systems: ['notifications'], main: 'notifications/index.ts',
    composeEnvironment: {
      NOTIFICATIONS_DATABASE_URL: 'postgres://postgres:obts@postgres:5432/obts_notifications',
      AUDIT_DATABASE_URL: 'postgres://postgres:obts@postgres:5432/obts_audit',
      OBTS_GATEWAY_URL: 'http://gateway:4000/graphql',
      NOTIFY_WEBHOOK_ALLOWED_HOSTS: '""',
      NOTIFICATIONS_PUBLIC_URL: 'http://localhost:4005',
    } },
];

/** The URL the gateway uses for a subgraph: its setting, or loopback on its default port. */
export function subgraphUrl(entry: SubgraphEntry, env: NodeJS.ProcessEnv = process.env): string {
  return env[entry.urlSetting] ?? `http://127.0.0.1:${env[entry.portSetting] ?? entry.defaultPort}/graphql`;
}

/** Where an agency's embedded database lives when its database URL is unset. */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(ROOT, env.OBTS_DATA_DIR ?? '.data');
}

/** The entry of an agency subgraph (one with a store), or an error listing the names there are. */
export function agencyEntry(name: string): AgencySubgraphEntry {
  const entry = AGENCY_SUBGRAPHS.find((candidate) => candidate.name === name);
  if (!entry) throw new Error(`no agency subgraph named "${name}"; expected one of ${AGENCY_SUBGRAPHS.map((e) => e.name).join(', ')}`);
  return entry;
}

/** The entry for a subgraph name, or an error listing the names there are. */
export function subgraphEntry(name: string): SubgraphEntry {
  const entry = SUBGRAPHS.find((candidate) => candidate.name === name);
  if (!entry) throw new Error(`no subgraph named "${name}"; expected one of ${SUBGRAPHS.map((e) => e.name).join(', ')}`);
  return entry;
}

/** The database name an agency gets on a shared server: `obts_public_safety`. */
export function databaseName(entry: SubgraphEntry): string {
  return `obts_${entry.name.replace(/-/g, '_')}`;
}
