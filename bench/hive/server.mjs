// Hive Gateway as a contender in `npm run bench -- --compare`: the same supergraph over the
// same subgraph processes, with its JavaScript query planner or, with HIVE_PLANNER=rust,
// its Rust one (@graphql-hive/router-runtime). Given one thing besides: a hook that signs
// every subgraph call the way the OBTS gateway does (subgraphs/shared/trust.ts: an
// Ed25519 token for that subgraph, single-use, with the user's ORI, roles, permissions
// and purpose), since the subgraphs answer nothing else. No user authentication, no
// permission trimming, no audit: those are this project's work, not the contender's.
//
// Settings (environment): HIVE_PORT, HIVE_PLANNER (js or rust), HIVE_SUPERGRAPH (file),
// HIVE_SUBGRAPH_URLS (JSON: subgraph name → URL), OBTS_GATEWAY_KEY_FILE (the gateway's
// key file), HIVE_IDENTITY (JSON: sub, ori, roles, perms, purpose, cert).
import net from 'node:net';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';

// Loopback only: a connection anywhere else is refused before it leaves, and said.
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guarded(...args) {
  const options = typeof args[0] === 'object' && args[0] !== null ? (Array.isArray(args[0]) ? args[0][0] : args[0]) : { port: args[0], host: typeof args[1] === 'string' ? args[1] : undefined };
  const host = options?.host;
  if (!options?.path && host && !/^(127\.|::1$|::ffff:127\.|localhost$)/.test(String(host).replace(/^\[|\]$/g, ''))) {
    console.error(`hive contender: refused a connection to ${host}:${options.port} (loopback only)`);
    process.exitCode = 3;
    throw new Error(`connection to ${host} refused: the benchmark is loopback only`);
  }
  return connect.apply(this, args);
};

const { createGatewayRuntime } = await import('@graphql-hive/gateway-runtime');
const { SignJWT, importJWK } = await import('jose');

const need = (name) => {
  const value = process.env[name];
  if (!value) {
    console.error(`hive contender: ${name} is not set; see bench/hive/server.mjs`);
    process.exit(2);
  }
  return value;
};
const planner = process.env.HIVE_PLANNER ?? 'js';
if (!['js', 'rust'].includes(planner)) {
  console.error(`hive contender: HIVE_PLANNER "${planner}" is not valid; expected js or rust`);
  process.exit(2);
}
const port = Number(need('HIVE_PORT'));
const urls = JSON.parse(need('HIVE_SUBGRAPH_URLS'));
const identity = JSON.parse(need('HIVE_IDENTITY'));
const keyFile = JSON.parse(readFileSync(need('OBTS_GATEWAY_KEY_FILE'), 'utf8'));
const privateKey = await importJWK(keyFile.privateJwk, keyFile.privateJwk.alg);
const { kid, alg } = keyFile.privateJwk;

// The supergraph names each subgraph's URL; point them at this run's processes.
let supergraph = readFileSync(need('HIVE_SUPERGRAPH'), 'utf8');
supergraph = supergraph.replace(/@join__graph\(name: "([^"]+)", url: "[^"]*"\)/g, (whole, name) => {
  if (!urls[name]) throw new Error(`HIVE_SUBGRAPH_URLS has no URL for subgraph ${name}`);
  return `@join__graph(name: "${name}", url: "${urls[name]}")`;
});
const audienceOf = new Map(Object.entries(urls).map(([name, url]) => [url, name]));

function sign(audience) {
  return new SignJWT({ ori: identity.ori, roles: identity.roles, perms: identity.perms, purpose: identity.purpose, rid: randomUUID(), ...(identity.cert ? { cert: identity.cert } : {}) })
    .setProtectedHeader({ alg, kid, typ: 'JWT' })
    .setIssuer('obts-gateway').setAudience(audience).setSubject(identity.sub)
    .setIssuedAt().setExpirationTime('30s').setJti(randomUUID())
    .sign(privateKey);
}

const signSubgraphCalls = {
  async onFetch({ url, options, setOptions }) {
    const audience = audienceOf.get(url);
    if (!audience) return;
    setOptions({ ...options, headers: { ...options.headers, authorization: `Bearer ${await sign(audience)}` } });
  },
};

const runtime = createGatewayRuntime({
  supergraph,
  logging: process.env.HIVE_LOG_LEVEL ?? 'error',
  graphqlEndpoint: '/graphql',
  landingPage: false,
  graphiql: false,
  ...(planner === 'rust' ? { unifiedGraphHandler: (await import('@graphql-hive/router-runtime')).unifiedGraphHandler } : {}),
  plugins: () => [signSubgraphCalls],
  // One subgraph call per client request, as the OBTS gateway makes them. By default Hive
  // shares one call among identical queries in flight at once: across users that would
  // answer one user's request under another's token, and on a workload that repeats one
  // query it measured calls never made (the SMITH search: subgraph CPU fell to 0.7 ms a
  // request, Hive Rust at 4x the req/s).
  transportEntries: { '*.http': { options: { deduplicateInflightRequests: false } } },
});

const server = createServer(runtime);
server.listen(port, '127.0.0.1', () => console.error(`hive contender (${planner} planner) listening on http://127.0.0.1:${port}/graphql`));
const stop = () => server.close(() => process.exit(process.exitCode ?? 0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
