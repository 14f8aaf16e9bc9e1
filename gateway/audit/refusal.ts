// The audit record of a request refused before GraphQL ran (CJIS AU-2: failed and refused
// access attempts are auditable events): who the token claimed to be, when it was valid
// enough to say, why it was refused, and from where. Every stage is covered: the door
// (401/403), the rate limit (429), the body (400 bad JSON, 413, too deep), Apollo's own
// refusals (batched bodies, CSRF, 405) through `auditEveryRefusal`, and a request whose
// headers are too large (431) through `auditClientErrors`.
//
// A flood must not grow the log without bound, nor make every refused request wait for a
// sync: refusals without a user (no or bad token) are written one by one for the first
// REFUSALS_PER_MINUTE of an address in a minute, then counted, and one "refusal-summary"
// record per address and minute says how many more there were and why.
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type express from 'express';
import type { AuditEntry } from './record.ts';
import type { AuditStore } from './store.ts';
import { logger } from '../../subgraphs/shared/log.ts';

/** What the audit needs to know about a refusal (the door's Refusal fits). */
export interface RefusalFacts {
  status: number;
  reason: string;
  claims?: { userId?: string; ori?: string; roles?: string[]; purpose?: string };
}

/** What the gateway keeps per request in res.locals (beside auth's RequestLocals). */
interface AuditLocals {
  requestId: string;
  clientRequestId?: string | null;
  audited?: boolean;
}

const REFUSALS_PER_MINUTE = 20;
const WINDOW_MS = 60_000;
/** Addresses tracked at once; beyond it refusals are summed under one "other addresses" entry. */
const MAX_ADDRESSES = 10_000;

export function refusalEntry(requestId: string, clientRequestId: string | null, address: string | null, refusal: RefusalFacts): AuditEntry {
  return {
    event: 'refused',
    time: new Date().toISOString(),
    requestId,
    clientRequestId,
    user: refusal.claims?.userId ?? null,
    ori: refusal.claims?.ori ?? null,
    roles: refusal.claims?.roles ?? [],
    purpose: refusal.claims?.purpose ?? null,
    operationName: null,
    documentHash: null,
    variables: null,
    subgraphs: [],
    sids: [],
    outcome: 'refused',
    reason: `${refusal.status} ${refusal.reason}`,
    clientAddress: address,
  };
}

export interface RefusalRecorder {
  /** Records a refusal of this request (individually or into its address's summary); resolves when it is safe to answer. */
  record(req: express.Request, res: express.Response, refusal: RefusalFacts): Promise<void>;
  /** Records a refusal seen only on the socket (431), always summarised by address. */
  recordSocket(socket: Socket, refusal: RefusalFacts): Promise<void>;
  /** Writes every open summary (at shutdown). */
  close(): Promise<void>;
}

export function refusalRecorder(audit: AuditStore, perMinute = REFUSALS_PER_MINUTE): RefusalRecorder {
  type Window = { start: number; individual: number; counted: number; reasons: Record<string, number> };
  const windows = new Map<string, Window>();
  const summarise = (address: string, window: Window) => audit.append({
    event: 'refusal-summary', time: new Date().toISOString(), requestId: randomUUID(), user: null, ori: null, roles: [], purpose: null,
    operationName: null, documentHash: null, variables: { windowStart: new Date(window.start).toISOString(), windowSeconds: WINDOW_MS / 1000, recordedIndividually: window.individual, reasons: window.reasons },
    subgraphs: [], sids: [], outcome: 'refused', reason: `${window.counted} more refusal(s) without a valid token from ${address} in this minute, counted, not recorded one by one`, clientAddress: address,
  }).then(() => {}, (error) => logger.error({ err: error }, 'audit refusal summary could not be written'));
  const flushEnded = async (all = false) => {
    const now = Date.now();
    const ended = [...windows].filter(([, window]) => all || now - window.start >= WINDOW_MS);
    for (const [address] of ended) windows.delete(address);
    await Promise.all(ended.filter(([, window]) => window.counted > 0).map(([address, window]) => summarise(address, window)));
  };
  const timer = setInterval(() => void flushEnded(), 10_000);
  timer.unref();

  // Private: true when this refusal goes into a summary instead of its own record.
  const counted = (address: string, refusal: RefusalFacts): boolean => {
    if (refusal.claims?.userId) return false; // a user's refusals are always recorded one by one
    const key = windows.has(address) || windows.size < MAX_ADDRESSES ? address : 'other addresses';
    let window = windows.get(key);
    if (window && Date.now() - window.start >= WINDOW_MS) {
      windows.delete(key);
      if (window.counted) void summarise(key, window);
      window = undefined;
    }
    if (!window) windows.set(key, (window = { start: Date.now(), individual: 0, counted: 0, reasons: {} }));
    if (window.individual < perMinute) {
      window.individual += 1;
      return false;
    }
    window.counted += 1;
    const reason = `${refusal.status} ${refusal.reason}`;
    window.reasons[reason] = (window.reasons[reason] ?? 0) + 1;
    return true;
  };

  return {
    async record(req, res, refusal) {
      const locals = res.locals as AuditLocals;
      locals.audited = true;
      const address = req.socket.remoteAddress ?? 'unknown';
      if (counted(address, refusal)) return;
      await audit.append(refusalEntry(locals.requestId ?? randomUUID(), locals.clientRequestId ?? null, address, refusal));
    },
    async recordSocket(socket, refusal) {
      const address = socket.remoteAddress ?? 'unknown';
      if (counted(address, refusal)) return;
      await audit.append(refusalEntry(randomUUID(), null, address, refusal));
    },
    async close() {
      clearInterval(timer);
      await flushEnded(true);
    },
  };
}

/**
 * Express middleware: a /graphql answer with an error status that no one audited (Apollo's
 * own refusals: batched body, CSRF, 405; the body parser's 400) is recorded before it is
 * sent. The reason is the error code and the start of the message the client gets.
 */
export function auditEveryRefusal(recorder: RefusalRecorder): express.RequestHandler {
  return (req, res, next) => {
    const end = res.end.bind(res) as (...args: unknown[]) => express.Response;
    res.end = ((...args: unknown[]) => {
      const locals = res.locals as AuditLocals & { identity?: { userId: string; ori: string; roles: string[]; purpose: string } };
      if (locals.audited || res.statusCode < 400) return end(...args);
      const identity = locals.identity;
      recorder.record(req, res, { status: res.statusCode, reason: reasonOf(args[0]), claims: identity && { userId: identity.userId, ori: identity.ori, roles: identity.roles, purpose: identity.purpose } })
        .then(() => end(...args), (error) => {
          logger.error({ err: error, requestId: locals.requestId }, 'audit write of a refusal failed');
          end(...args);
        });
      return res;
    }) as typeof res.end;
    next();
  };
}

/** http.Server 'clientError': a 431 (headers too large) or 400 on the socket, recorded first. */
export function auditClientErrors(recorder: RefusalRecorder): (error: NodeJS.ErrnoException, socket: Socket) => void {
  return (error, socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLarge ? 431 : 400;
    recorder.recordSocket(socket, { status, reason: tooLarge ? 'headers-too-large' : 'malformed-http' }).catch((failure) => logger.error({ err: failure }, 'audit write of a refusal failed'))
      .finally(() => socket.end(`HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`));
  };
}

// Private: "BAD_REQUEST: Request body is not valid JSON…" from a JSON error body, else the status.
function reasonOf(chunk: unknown): string {
  try {
    const body = JSON.parse(Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk ?? '')) as { errors?: { message?: string; extensions?: { code?: string } }[] };
    const error = body.errors?.[0];
    if (error) return `${error.extensions?.code ?? 'ERROR'}: ${String(error.message ?? '').slice(0, 120)}`;
  } catch {
    // not JSON
  }
  return 'refused';
}

/**
 * Express middleware after the JSON parser: a body nested deeper than MAX_BODY_DEPTH is
 * refused (400) with a recorded refusal before GraphQL or the audit's canonical JSON, which
 * recurses, ever walk it.
 */
export function refuseDeepBodies(recorder: RefusalRecorder, maxDepth: number, depthOf: (value: unknown, stopAt: number) => number): express.RequestHandler {
  return (req, res, next) => {
    const depth = depthOf(req.body, maxDepth);
    if (depth <= maxDepth) return next();
    const identity = (res.locals as { identity?: { userId: string; ori: string; roles: string[]; purpose: string } }).identity;
    recorder.record(req, res, { status: 400, reason: 'body-too-deep', claims: identity && { userId: identity.userId, ori: identity.ori, roles: identity.roles, purpose: identity.purpose } }).then(() => {
      res.status(400).json({ errors: [{ message: `Request body nests more than ${maxDepth} levels deep; expected variables at most ${maxDepth} levels deep`, extensions: { code: 'BAD_REQUEST', reason: 'body-too-deep' } }] });
    }, next);
  };
}
