// The load generator in a process of its own: runLoad() starts `load-child.ts` (autocannon)
// with the plan on its standard input and reads the result from its standard output, so
// the requests are made and timed outside the processes being measured. Every run is
// bounded by its duration (and autocannon's per-request timeout).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface LoadPlan {
  url: string;
  connections: number;
  /** Seconds of load. */
  seconds: number;
  /** Requests sent in turn, round-robin over the connections: headers and body of each. */
  requests: { headers: Record<string, string>; body: string }[];
  /** Per-request timeout in seconds (default 30). */
  timeoutSeconds?: number;
  /** Also report the times (epoch ms) of answers whose body has an "errors" member (they are always counted). */
  recordErrorTimes?: boolean;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  /** Answers received, any status. */
  total: number;
  /** Count by HTTP status. */
  statuses: Record<string, number>;
  /** Connection errors and timeouts. */
  errors: number;
  timeouts: number;
  errorTimes: number[];
  /** Answers whose body has an "errors" member (any status). */
  errorAnswers: number;
}

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'load-child.ts');

/** Drives `plan` from another process and resolves with what it measured. */
export function runLoad(plan: LoadPlan): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { out += chunk; });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`load generator exited with ${code}`));
      try {
        resolve(JSON.parse(out) as LoadResult);
      } catch {
        reject(new Error(`load generator printed no result: ${out.slice(0, 200)}`));
      }
    });
    child.stdin.end(JSON.stringify(plan));
  });
}
