// The reports' only way to data: GraphQL requests to the gateway, as the user who asked
// (their bearer token, a purpose code), so every page is authenticated, permission-trimmed
// and audited like any query. Counts its requests; waits out 429 (Retry-After) a bounded
// number of times; turns refusals and failures into a ReportError a person can act on.
import { ReportError } from './errors.ts';

/** A GraphQL error as the gateway formats it. */
export interface GatewayError {
  message: string;
  path?: Array<string | number>;
  extensions?: { code?: string; requires?: string[]; systems?: string[]; [key: string]: unknown };
}

export interface GatewayAnswer<T> {
  data: T;
  /** FORBIDDEN errors only (the fields a role may not see); any other error throws. */
  forbidden: GatewayError[];
}

/** The gateway refused an operation as over its cost limit (before any agency was asked). */
export class QueryCostError extends ReportError {
  constructor(message: string, readonly limit: number, readonly cost: number) {
    super(message);
  }
}

export interface ClientOptions {
  url: string;
  token: string;
  /** CJIS purpose code sent with every request. */
  purpose: string;
  /** Longest wait for one request, ms. */
  timeoutMs?: number;
  /** How many 429 answers to wait out before giving up. */
  maxRateLimitWaits?: number;
}

export class GatewayClient {
  /** Requests sent (each page of a walk is one). */
  requests = 0;

  constructor(private readonly options: ClientOptions) {}

  /** Runs one operation; returns data and FORBIDDEN errors, throws ReportError on anything else. */
  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<GatewayAnswer<T>> {
    const maxWaits = this.options.maxRateLimitWaits ?? 5;
    for (let waits = 0; ; waits += 1) {
      const response = await this.post(query, variables);
      if (response.status === 429 && waits < maxWaits) {
        const seconds = Math.min(60, Math.max(1, Number(response.headers.get('retry-after')) || 5));
        await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
        continue;
      }
      return this.read<T>(response);
    }
  }

  // Private: one POST; a connection failure becomes a message naming the setting.
  private async post(query: string, variables: Record<string, unknown>): Promise<Response> {
    this.requests += 1;
    try {
      return await fetch(this.options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.options.token}`, 'x-obts-purpose': this.options.purpose },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 120_000),
      });
    } catch (error) {
      const reason = (error as Error).name === 'TimeoutError' ? 'did not answer in time' : 'could not be reached';
      throw new ReportError(`the gateway at ${this.options.url} ${reason}; check OBTS_GATEWAY_URL (or --gateway) and that the gateway is running`);
    }
  }

  // Private: the answer, or the reason there is none.
  private async read<T>(response: Response): Promise<GatewayAnswer<T>> {
    let body: { data?: T; errors?: GatewayError[] } | undefined;
    try {
      body = (await response.json()) as typeof body;
    } catch {
      body = undefined;
    }
    const first = body?.errors?.[0]?.message;
    if (response.status === 401) throw new ReportError(`the gateway refused the token (${first ?? 'unauthorized'}); get a fresh one (npm run token, or your identity provider) and set OBTS_TOKEN`);
    if (response.status === 403) throw new ReportError(`the gateway refused the request (${first ?? 'forbidden'})`);
    if (response.status === 429) throw new ReportError(`the gateway kept refusing requests as too many (${first ?? 'rate limited'}); try again later or with a larger --page-size`);
    const cost = /Query Cost limit of (\d+) exceeded, found (\d+)/.exec(first ?? '');
    if (response.status === 400 && cost) throw new QueryCostError(`the gateway answered 400: ${first}; try a smaller --page-size`, Number(cost[1]), Number(cost[2]));
    if (!body || (response.status !== 200 && !body.data)) throw new ReportError(`the gateway answered ${response.status}${first ? `: ${first}` : ''}`);
    const errors = body.errors ?? [];
    const forbidden = errors.filter((error) => error.extensions?.code === 'FORBIDDEN');
    const other = errors.find((error) => error.extensions?.code !== 'FORBIDDEN');
    if (other) {
      // An agency down in the middle of a walk: stop, rather than publish a report missing part of it.
      const where = other.extensions?.code === 'SUBGRAPH_UNAVAILABLE' ? ' — the report stopped; run it again when the agency answers' : '';
      throw new ReportError(`the gateway answered with an error: ${other.message}${where}`);
    }
    return { data: body.data as T, forbidden };
  }
}
