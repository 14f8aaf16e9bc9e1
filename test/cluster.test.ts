// The gateway as several processes on one port (gateway/cluster.ts): GATEWAY_WORKERS is
// checked, each worker serves the same port, and stopping the primary stops them all.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../schema/subgraphs.ts';
import { gatewayWorkers } from '../gateway/cluster.ts';

describe('gateway cluster', () => {
  it('reads GATEWAY_WORKERS: unset is one process, auto is one per core, nonsense says what is expected', () => {
    assert.equal(gatewayWorkers({}), 1);
    assert.equal(gatewayWorkers({ GATEWAY_WORKERS: '3' }), 3);
    assert.equal(gatewayWorkers({ GATEWAY_WORKERS: 'auto' }), os.availableParallelism());
    for (const bad of ['0', 'two', '1.5', '999']) assert.throws(() => gatewayWorkers({ GATEWAY_WORKERS: bad }), /GATEWAY_WORKERS ".*" is not valid; expected a whole number from 1 to 256, or auto/);
  });

  it('runs two workers on one port that both answer, and stops them all on SIGTERM', async function () {
    this.timeout(300_000); // three processes start (a primary, two workers): slow on a loaded machine
    const dir = mkdtempSync(path.join(os.tmpdir(), 'obts-cluster-'));
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'gateway', 'index.ts')], {
      env: { ...process.env, APOLLO_TELEMETRY_DISABLED: '1', GATEWAY_WORKERS: '2', GATEWAY_PORT: '0', OBTS_DATA_DIR: dir, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      // Each worker logs its URL once it listens; port 0 is one port the workers share.
      const listening: string[] = [];
      let buffered = '';
      await new Promise<void>((resolve, reject) => {
        const deadline = setTimeout(() => reject(new Error(`only ${listening.length} of 2 workers listening after 240 s`)), 240_000);
        child.once('exit', (code) => reject(new Error(`gateway primary exited early (code ${code})`)));
        child.stdout!.on('data', (chunk: Buffer) => {
          buffered += chunk.toString();
          const lines = buffered.split('\n');
          buffered = lines.pop() ?? '';
          for (const line of lines) {
            const entry = JSON.parse(line) as { msg?: string; url?: string };
            if (entry.msg === 'gateway listening' && entry.url) listening.push(entry.url);
          }
          if (listening.length === 2) {
            clearTimeout(deadline);
            resolve();
          }
        });
      });
      const urls = new Set(listening);
      assert.equal(urls.size, 1, `both workers on one URL: ${[...urls].join(', ')}`);
      const health = [...urls][0].replace(/\/graphql$/, '/health');
      for (let i = 0; i < 4; i += 1) assert.deepEqual(await (await fetch(health)).json(), { status: 'ok' });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
      await assert.rejects(fetch(health), 'nothing listens once the primary has stopped');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
