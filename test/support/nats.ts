// NATS JetStream for tests: the shared server (TEST_NATS_URL, default the development
// machines' nats://127.0.0.1:4222; CI starts it, see .ci/run) must be up: a test that needs
// it fails when it is missing, it never skips. A test that stops and restarts the broker
// runs a server of its own (NATS_SERVER_BIN, default /usr/sbin/nats-server) on a free
// loopback port with its own JetStream folder, so it never touches the shared one.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { RUN_TAG } from './databases.ts';

export const SHARED_NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
export const NATS_SERVER_BIN = process.env.NATS_SERVER_BIN ?? '/usr/sbin/nats-server';

/** A stream prefix unique to this run and `what`, so runs sharing one server never meet. */
export function runPrefix(what: string): string {
  return `t${RUN_TAG}${what}`.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 24);
}

/** Connects once, without retrying, and checks JetStream answers; a clear error otherwise. */
export async function requireJetStream(url = SHARED_NATS_URL): Promise<NatsConnection> {
  let nc: NatsConnection;
  try {
    nc = await connect({ servers: url, reconnect: false, timeout: 3000 });
  } catch (error) {
    throw new Error(`NATS JetStream is required for this test and is not reachable at ${url}: ${(error as Error).message}. Start it (nats-server -js, see .ci/run) or set TEST_NATS_URL.`);
  }
  try {
    await (await nc.jetstreamManager({ timeout: 3000 })).getAccountInfo();
  } catch (error) {
    await nc.close();
    throw new Error(`the NATS server at ${url} answers but JetStream does not (${(error as Error).message}); expected a server started with -js`);
  }
  return nc;
}

/** A loopback port nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A nats-server of the test's own, with JetStream in a temporary folder kept across restarts. */
export interface OwnNatsServer {
  url: string;
  /** Stops it (SIGTERM, SIGKILL after 10 s) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port and folder; resolves when it accepts connections. */
  start(): Promise<void>;
  /** Stops it for good and removes its folder. */
  dispose(): Promise<void>;
}

export async function startOwnNatsServer(): Promise<OwnNatsServer> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'obts-nats-'));
  let child: ChildProcess | undefined;
  let output = '';
  const start = async () => {
    output = '';
    const started = spawn(NATS_SERVER_BIN, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    started.stdout!.on('data', (chunk) => { output += chunk; });
    started.stderr!.on('data', (chunk) => { output += chunk; });
    const failed = new Promise<never>((_, reject) => {
      started.once('error', (error) => reject(new Error(`could not run ${NATS_SERVER_BIN}: ${error.message}; set NATS_SERVER_BIN to the nats-server binary`)));
      started.once('exit', (code) => reject(new Error(`nats-server exited (${code}) on start: ${output.slice(-500)}`)));
    });
    failed.catch(() => undefined);
    // Ready when JetStream is ready: the log line, bounded by 15 s.
    for (let attempt = 0; attempt < 150; attempt += 1) {
      if (/Server is ready/.test(output)) return;
      await Promise.race([failed, new Promise((resolve) => setTimeout(resolve, 100))]);
    }
    throw new Error(`nats-server on port ${port} was not ready within 15 s: ${output.slice(-500)}`);
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGTERM');
    const killer = setTimeout(() => running.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  };
  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    start,
    stop,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
