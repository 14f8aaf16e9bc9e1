// The audit record of a request refused before GraphQL (CJIS AU-2: failed and refused
// access attempts are auditable events): who the token claimed to be, when it was valid
// enough to say, why it was refused, and from where.
import type express from 'express';
import type { Refusal } from '../auth/verify.ts';
import type { AuditEntry } from './record.ts';

export function refusalEntry(req: express.Request, requestId: string, refusal: Refusal): AuditEntry {
  return {
    event: 'refused',
    time: new Date().toISOString(),
    requestId,
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
    clientAddress: req.socket.remoteAddress ?? null,
  };
}
