// Query limits (graphql-armor, and graphql-js for tokens): depth, aliases, tokens, directives and estimated cost,
// checked while the document is parsed and validated, before any planning or subgraph
// call. A query over a limit is refused with QUERY_LIMIT_EXCEEDED and a message naming the
// limit. Field suggestions ("Did you mean …") are masked: they would reveal the schema
// outside training mode.
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, type ValidationContext } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import type { ValidationRule } from 'graphql';
import { costLimitPlugin, type CostShareOptions } from './cost.ts';

/** The limits; every one is a gateway setting (gateway/config.ts). */
export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxDirectives: number;
  maxCost: number;
  /** The cost limit of a research and statistics run (purpose R: report walks). */
  maxCostStatistical?: number;
}

// Private: marks a rejection as a limit. Apollo Server files every validation error under
// GRAPHQL_VALIDATION_FAILED but keeps other extensions; errors.ts turns the mark into the
// code QUERY_LIMIT_EXCEEDED, which the audit records as a refusal.
const report = (context: ValidationContext | null, error: GraphQLError) => {
  context?.reportError(new GraphQLError(`Query refused: ${error.message.replace(/^Syntax Error: /, '')}`, { extensions: { limitExceeded: true } }));
};

/** graphql-js's own token limit, applied while parsing (Apollo Server `parseOptions`). */
export const parseOptions = (limits: QueryLimits) => ({ maxTokens: limits.maxTokens });

/** Plugins and validation rules for the gateway's Apollo Server; `costShare` weighs each user's running work by cost. */
export function queryLimits(limits: QueryLimits, costShare?: CostShareOptions): { plugins: ApolloServerPlugin<any>[]; validationRules: ValidationRule[] } {
  const common = { exposeLimits: true, propagateOnRejection: false, onReject: [report] };
  const { plugins, validationRules } = new ApolloArmor({
    maxDepth: { ...common, n: limits.maxDepth, ignoreIntrospection: true },
    maxAliases: { ...common, n: limits.maxAliases },
    // Tokens: graphql-js counts them in its parser (parseOptions below); armor's parser plugin answers 500.
    maxTokens: { enabled: false },
    maxDirectives: { ...common, n: limits.maxDirectives },
    // Cost: armor's rule cannot see variables or schema defaults; cost.ts counts what will run.
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: true, mask: '[suggestion hidden]' },
  }).protect();
  return { plugins: [...(plugins as ApolloServerPlugin<any>[]), costLimitPlugin(limits.maxCost, limits.maxCostStatistical, costShare)], validationRules };
}
