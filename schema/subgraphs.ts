// The subgraphs the gateway federates: name, the setting that holds its URL, its default
// port, the setting that holds its database URL (agency subgraphs only: tracking keeps no
// data), and its SDL file. Composition, the gateway, `npm start` and the tests all read
// this one list.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

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
  /** SDL file, relative to the project root. */
  sdl: string;
  /** The agency's source systems this subgraph answers for (named in errors). */
  systems: string[];
  /** Its process entry, relative to the project root, when not subgraphs/<name>/index.ts. */
  main?: string;
}

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A subgraph with a data store of its own (an agency's). */
export type AgencySubgraphEntry = SubgraphEntry & { databaseSetting: string };

/** The agency subgraphs: each answers from its own store. */
export const AGENCY_SUBGRAPHS: AgencySubgraphEntry[] = [
  { name: 'public-safety', agency: 'Department of Public Safety', urlSetting: 'PUBLIC_SAFETY_URL', portSetting: 'PUBLIC_SAFETY_PORT', defaultPort: 4001, databaseSetting: 'PUBLIC_SAFETY_DATABASE_URL', sdl: 'subgraphs/public-safety/schema.graphql', systems: ['MNI/CCH', 'SOR'] },
  { name: 'judicial', agency: 'Judicial Branch', urlSetting: 'JUDICIAL_URL', portSetting: 'JUDICIAL_PORT', defaultPort: 4002, databaseSetting: 'JUDICIAL_DATABASE_URL', sdl: 'subgraphs/judicial/schema.graphql', systems: ['CCMS', 'CIB', 'PRAWN', 'POR', 'PCMS'] },
  { name: 'correction', agency: 'Department of Correction', urlSetting: 'CORRECTION_URL', portSetting: 'CORRECTION_PORT', defaultPort: 4003, databaseSetting: 'CORRECTION_DATABASE_URL', sdl: 'subgraphs/correction/schema.graphql', systems: ['OMIS', 'STC', 'Parole'] },
];

/** Every subgraph: the agencies, then tracking, which derives status and timeline from their fields (no store). */
export const SUBGRAPHS: SubgraphEntry[] = [
  ...AGENCY_SUBGRAPHS,
  { name: 'tracking', agency: 'OBTS tracking (derived from every agency)', urlSetting: 'TRACKING_URL', portSetting: 'TRACKING_PORT', defaultPort: 4004, sdl: 'subgraphs/tracking/schema.graphql', systems: ['status', 'timeline'] },
  // Issue 9: subscriptions and deliveries; its own small store (no offender data) and process.
  { name: 'notifications', agency: 'OBTS notifications (subscriptions and deliveries)', urlSetting: 'NOTIFICATIONS_URL', portSetting: 'NOTIFICATIONS_PORT', defaultPort: 4005, databaseSetting: 'NOTIFICATIONS_DATABASE_URL', sdl: 'notifications/schema.graphql', systems: ['notifications'], main: 'notifications/index.ts' },
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
