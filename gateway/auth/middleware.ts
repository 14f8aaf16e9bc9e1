// The door: every /graphql request is authenticated here, before its body is read and
// before any subgraph is called. A refused request gets a GraphQL-shaped JSON error body
// and is handed to `onRefused` (the audit log records it: CJIS AU-2, refused access is an
// auditable event).
import type express from 'express';
import type { Identity } from '../../subgraphs/shared/identity.ts';
import { PURPOSE_HEADER, type Authenticator, type Refusal } from './verify.ts';
import { TRAINING_ROLE_HEADER } from './class-token.ts';

/** What the gateway keeps about a request between middleware and GraphQL (res.locals). */
export interface RequestLocals {
  requestId: string;
  identity?: Identity;
}

/** Sends a refusal: the status, a `WWW-Authenticate` challenge on 401, and `{ errors: [...] }`. */
export function sendRefusal(res: express.Response, refusal: Refusal): void {
  if (refusal.status === 401) res.setHeader('WWW-Authenticate', `Bearer realm="obts", error="invalid_token", error_description="${refusal.reason}"`);
  if (refusal.retryAfter) res.setHeader('Retry-After', String(refusal.retryAfter));
  res.status(refusal.status).json({ errors: [{ message: refusal.message, extensions: { code: refusal.code, reason: refusal.reason } }] });
}

/** Express middleware: sets `res.locals.identity`, or refuses (after `onRefused` resolves). */
export function requireIdentity(
  authenticate: Authenticator,
  onRefused: (req: express.Request, res: express.Response, refusal: Refusal) => Promise<void>,
): express.RequestHandler {
  return async (req, res, next) => {
    try {
      const purpose = req.headers[PURPOSE_HEADER];
      const role = req.headers[TRAINING_ROLE_HEADER];
      const result = await authenticate(req.headers.authorization, typeof purpose === 'string' ? purpose : undefined, typeof role === 'string' ? role : undefined);
      const locals = res.locals as RequestLocals;
      if (result.ok) {
        locals.identity = { ...result.identity, requestId: locals.requestId };
        return next();
      }
      await onRefused(req, res, result.refusal);
      sendRefusal(res, result.refusal);
    } catch (error) {
      next(error);
    }
  };
}
