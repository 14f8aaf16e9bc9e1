// The suite's loopback-only guard (test/support/network-guard.ts) must really refuse
// other addresses, or the final "nothing left loopback" check proves nothing.
// 203.0.113.0/24 is TEST-NET-3 (RFC 5737): the guard refuses it before any packet leaves.
import assert from 'node:assert/strict';
import net from 'node:net';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { isLoopback, refusedConnections } from './support/network-guard.ts';

describe('network guard', () => {
  it('knows loopback from everything else', () => {
    for (const host of ['127.0.0.1', '127.8.9.10', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) assert.ok(isLoopback(host), host);
    for (const host of ['10.0.0.1', '169.254.169.254', '192.168.1.1', '8.8.8.8', 'example.com', '::ffff:10.0.0.1', 'fe80::1']) assert.ok(!isLoopback(host), host);
  });

  it('refuses a raw TCP connection to a non-loopback address', () => {
    const before = refusedConnections.length;
    assert.throws(() => net.connect({ host: '203.0.113.7', port: 80 }), /network guard: refused a connection to 203\.0\.113\.7:80/);
    assert.equal(refusedConnections.length, before + 1);
  });

  it('refuses fetch and http.get to a non-loopback address', async () => {
    await assert.rejects(fetch('http://203.0.113.8:8080/'), (error: Error & { cause?: Error }) => /network guard/.test(String(error.cause?.message ?? error.message)));
    assert.throws(() => http.get('http://203.0.113.9/'), /network guard/);
  });

  it('lets loopback connections through', async () => {
    const server = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      assert.equal(await response.text(), 'ok');
    } finally {
      server.close();
    }
  });

  it('has Apollo telemetry disabled once the gateway module is loaded', async () => {
    await import('../gateway/server.ts');
    assert.equal(process.env.APOLLO_TELEMETRY_DISABLED, '1');
  });
});
