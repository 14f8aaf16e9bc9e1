// What one attempt against the gateway got, as data a security-suite case can compare:
// HTTP status, the first error's code and reason, and whether any data came back.

export interface Outcome { status: number; code?: string; reason?: string; data: boolean }

export function outcomeOf({ status, body }: { status: number; body: any }): Outcome {
  const error = body?.errors?.[0];
  return {
    status,
    ...(error ? { code: error.extensions?.code, ...(error.extensions?.reason ? { reason: error.extensions.reason } : {}) } : {}),
    data: Boolean(body?.data && Object.values(body.data).some((value) => value !== null)),
  };
}

/** A refusal as an Outcome. */
export const refused = (status: number, code: string, reason?: string): Outcome => ({ status, code, ...(reason ? { reason } : {}), data: false });
