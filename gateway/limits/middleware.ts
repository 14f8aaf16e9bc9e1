// Express wiring of the overload defences (gateway/server.ts puts them on /graphql):
// the request's budget starts when it arrives, and admission runs after authentication
// (per-user limits need the user) and the rate limit, before the body is read.
import type express from 'express';
import type { Refusal } from '../auth/verify.ts';
import type { RequestLocals } from '../auth/middleware.ts';
import { sendRefusal } from '../auth/middleware.ts';
import type { Admission } from './admission.ts';
import { Deadline } from './deadline.ts';

type Locals = RequestLocals & { deadline?: Deadline };

/** Starts the request's time budget (first thing on /graphql, so queueing counts). */
export function startDeadline(budgetMs: number): express.RequestHandler {
  return (_req, res, next) => {
    (res.locals as Locals).deadline = new Deadline(budgetMs);
    next();
  };
}

/** The budget startDeadline gave this request. */
export function deadlineOf(res: express.Response): Deadline | undefined {
  return (res.locals as Locals).deadline;
}

/**
 * Admits the authenticated request or refuses it (429 per-user, 503 overloaded, both with
 * Retry-After), after `onRefused` has recorded the refusal. The slot is released when the
 * response is finished or the client went away.
 */
export function admissionGate(admission: Admission, onRefused: (req: express.Request, res: express.Response, refusal: Refusal) => Promise<void>): express.RequestHandler {
  return async (req, res, next) => {
    try {
      const locals = res.locals as Locals;
      const identity = locals.identity!;
      // A client that goes away while its request waits in the queue must not keep the slot
      // it is handed later ('close' has fired by then; listening afterwards would leak it).
      let gone = false;
      const left = new AbortController();
      const onGone = () => { gone = true; left.abort(); };
      res.once('close', onGone);
      const verdict = await admission.admit(identity.userId, locals.deadline, left.signal);
      res.off('close', onGone);
      if (verdict.ok) {
        if (gone) {
          verdict.release();
          return;
        }
        res.once('close', verdict.release);
        return next();
      }
      const refusal = { ...verdict.refusal, claims: { userId: identity.userId, ori: identity.ori, roles: identity.roles, purpose: identity.purpose } };
      await onRefused(req, res, refusal);
      sendRefusal(res, refusal);
    } catch (error) {
      next(error);
    }
  };
}
