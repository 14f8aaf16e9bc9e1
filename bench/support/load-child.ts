// The load generator's process (bench/support/load.ts starts it): reads a LoadPlan on
// standard input, runs autocannon for its duration, prints one LoadResult as JSON.
import autocannon from 'autocannon';
import type { LoadPlan, LoadResult } from './load.ts';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const plan = JSON.parse(input) as LoadPlan;
let next = 0;
const errorTimes: number[] = [];
let errorAnswers = 0;
const result = await autocannon({
  url: plan.url, connections: plan.connections, duration: plan.seconds, timeout: plan.timeoutSeconds ?? 30,
  requests: [{
    method: 'POST',
    setupRequest: (request: any) => {
      const { headers, body } = plan.requests[next++ % plan.requests.length];
      return { ...request, headers: { 'content-type': 'application/json', ...headers }, body };
    },
    onResponse: (_status: number, body: string) => {
      if (!body.includes('"errors"')) return;
      errorAnswers += 1;
      if (plan.recordErrorTimes) errorTimes.push(Date.now());
    },
  } as any],
});
const codes = (result as any).statusCodeStats ?? {};
const out: LoadResult = {
  requestsPerSecond: result.requests.average,
  p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, mean: result.latency.mean,
  total: result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'],
  statuses: Object.fromEntries(Object.entries(codes).map(([code, stat]) => [code, (stat as { count: number }).count])),
  errors: result.errors, timeouts: result.timeouts, errorTimes, errorAnswers,
};
process.stdout.write(JSON.stringify(out));
