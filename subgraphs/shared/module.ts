// The one shape every agency subgraph exports, reused by its server entry, by the
// gateway tests (which start it in-process on port 0) and by composition.
import type { DocumentNode } from 'graphql';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { Database, StoreLocation } from './db.ts';
import type { OffenderStory } from '../../seed/story.ts';
import type { Identity } from './identity.ts';

/**
 * What a subgraph's server needs of whatever backs it: a readiness answer and a way to
 * close it. An agency store is one; the tracking subgraph, which keeps no data, has a
 * handle whose ping always answers (subgraphs/tracking/index.ts).
 */
export interface StoreHandle {
  /** Answers when the backing store does: for readiness probes. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** What every agency store offers besides its own queries. */
export interface AgencyStore extends StoreHandle {
  /** The open database (query builder, engine, statement counter). */
  database: Database<any>;
  /** Creates the agency's legacy tables and indexes if they do not exist yet. */
  migrate(): Promise<void>;
  /** Writes this agency's part of a batch of synthetic life stories (bulk inserts). */
  seed(stories: OffenderStory[]): Promise<void>;
  /** Number of offenders this store knows (0 means "not seeded yet"). */
  countPeople(): Promise<number>;
  /** Removes every row (used before re-seeding). */
  clear(): Promise<void>;
}

/** Per-request context every resolver receives. */
export interface BaseContext {
  /** Request id from the gateway (or made up), for logs. */
  requestId: string;
  /**
   * Who asks, as the gateway vouched for it in its signed token (subgraphs/shared/trust.ts).
   * Always set on requests over HTTP (the server refuses any without it); absent only for
   * in-process calls such as tests through executeOperation.
   */
  identity?: Identity;
}

/** A subgraph: `{ name, typeDefs, resolvers, openStore, createContext }`. */
export interface SubgraphModule<Store extends StoreHandle = AgencyStore, Context extends BaseContext = BaseContext> {
  name: string;
  typeDefs: DocumentNode;
  resolvers: GraphQLResolverMap<Context>;
  /** Opens (and migrates) the agency store at a location (a store-less subgraph ignores it). */
  openStore(location: StoreLocation): Promise<Store>;
  /** Builds the per-request context: fresh DataLoaders for every request. */
  createContext(store: Store, base: BaseContext): Context;
  /** Extra HTTP routes beside /graphql (the notifications stream). */
  routes?(app: import('express').Express, store: Store): void;
  /** Work the subgraph's own process runs beside its server (change relay, event consumers: issue 9). */
  background?(store: Store, env?: NodeJS.ProcessEnv): Promise<{ stop(): Promise<void> }>;
}
