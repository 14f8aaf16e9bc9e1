// Root hook: no code under test may open a connection to anything but loopback.
// Every outgoing TCP connection in Node goes through net.Socket#connect (http, https,
// fetch/undici, pg, mysql2), so the guard wraps it once, before any test runs. A
// connection to another address is refused before a packet leaves, and recorded; the
// suite then fails in its final hook, naming every address that was tried.
import net from 'node:net';
import { dropRunDatabases } from './databases.ts';

// On globalThis, and the wrapper installed once: mocha loads this root hook through another
// module loader than the test files that import it, so this module may be evaluated twice;
// both copies must record into the one list the final hook checks.
const shared = globalThis as typeof globalThis & { obtsNetworkGuard?: { refused: string[]; installed: boolean } };
shared.obtsNetworkGuard ??= { refused: [], installed: false };

/** Addresses that were refused, for the final check and for the guard's own test. */
export const refusedConnections: string[] = shared.obtsNetworkGuard.refused;

const LOOPBACK_NAMES = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost']);

/** True for 127.0.0.0/8, ::1, ::ffff:127.x and the localhost names. */
export function isLoopback(host: string | undefined): boolean {
  if (!host) return true; // Node's default host is localhost
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (LOOPBACK_NAMES.has(bare)) return true;
  if (net.isIPv4(bare)) return bare.startsWith('127.');
  if (net.isIPv6(bare)) return bare === '::1' || /^::ffff:127\./.test(bare);
  return false;
}

function targetOf(args: unknown[]): { host?: string; port?: unknown; path?: string } {
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (first && typeof first === 'object') return first as { host?: string; port?: unknown; path?: string };
  if (typeof first === 'string' && !/^\d+$/.test(first)) return { path: first };
  return { port: first, host: typeof args[1] === 'string' ? args[1] : undefined };
}

if (!shared.obtsNetworkGuard.installed) {
  shared.obtsNetworkGuard.installed = true;
  installGuard();
}

function installGuard(): void {
  const originalConnect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    const target = targetOf(args);
    if (!target.path && !isLoopback(target.host)) {
      const where = `${target.host}:${String(target.port)}`;
      refusedConnections.push(where);
      throw new Error(`network guard: refused a connection to ${where}; tests may only reach loopback`);
    }
    return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof net.Socket.prototype.connect;
}

export const mochaHooks = {
  async afterAll(this: Mocha.Context) {
    await dropRunDatabases();
    const unexpected = refusedConnections.filter((where) => !where.startsWith('203.0.113.'));
    if (unexpected.length) {
      throw new Error(`code under test tried to reach non-loopback addresses: ${unexpected.join(', ')}`);
    }
  },
};
