// Node's flags for every long-running OBTS process (gateway, each subgraph, notifications):
// what `npm start`, the container images, the compose file and the benchmark start them with.
//
// --max-semi-space-size=64 (MB; Node 20's default is 16): a request's objects (subgraph
// answers parsed, merged and shaped; representations; the answer) die young, and a larger
// young generation collects them in fewer scavenges. Measured 2026-12-03, interleaved
// (README "Measured"): the 25-person tracking search at 16 connections, gateway CPU per
// request 11.8 → 10.6 ms (median of 5 rounds each), subgraphs 26.9 → 25.6 ms, 37 → 39
// req/s; the plain search unchanged. It costs up to ~190 MB more memory per process at
// peak allocation rate (three semi-spaces), nothing when idle beyond what is touched.
export const NODE_FLAGS = ['--max-semi-space-size=64'] as const;
