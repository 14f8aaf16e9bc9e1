// Errors a caller can act on. A bad argument names what was wrong and what would be
// right; anything internal (SQL, stack, URLs) goes to the log, never to the client.
import { GraphQLError } from 'graphql';

/** A bad argument: `BAD_USER_INPUT` with a message that shows the expected form. */
export function badInput(message: string, argument?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...(argument ? { argument } : {}) } });
}

/** True for errors whose message was written for the client (not internal failures). */
export function isClientSafe(error: unknown): boolean {
  const code = (error as GraphQLError)?.extensions?.code;
  return typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR';
}
