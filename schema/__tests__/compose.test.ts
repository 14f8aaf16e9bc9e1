// "The subgraphs compose" is a test: the committed supergraph is what the SDL files
// compose to today, and @apollo/gateway loads it.
import '../../gateway/telemetry-off.ts';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { composeSupergraph, SUPERGRAPH_FILE } from '../compose.ts';
import { SUBGRAPHS } from '../subgraphs.ts';

describe('supergraph composition', () => {
  const composed = composeSupergraph();

  it('matches the committed schema/supergraph.graphql (run `npm run compose` when it does not)', () => {
    assert.ok(readFileSync(SUPERGRAPH_FILE, 'utf8') === composed, 'schema/supergraph.graphql is stale: run `npm run compose` and commit it');
  });

  it('joins every subgraph and lets each agency contribute to Offender', () => {
    for (const entry of SUBGRAPHS) assert.match(composed, new RegExp(`join__graph\\(name: "${entry.name}"`));
    const offender = composed.slice(composed.indexOf('type Offender'), composed.indexOf('}', composed.indexOf('type Offender')));
    for (const field of ['name', 'arrests', 'courtCases', 'warrants', 'custody', 'parole']) assert.match(offender, new RegExp(`\\n\\s+${field}[(:]`), field);
  });

  it('loads in ApolloGateway', async () => {
    const gateway = new ApolloGateway({ supergraphSdl: composed });
    const { schema } = await gateway.load();
    assert.ok(schema.getQueryType()?.getFields().offender);
    assert.ok(schema.getType('CourtCase'));
    await gateway.stop();
  });

  it('fails loudly when the subgraphs do not compose', async () => {
    const { composeServices } = await import('@apollo/composition');
    const { parse } = await import('graphql');
    const clash = (name: string, type: string) => ({ name, typeDefs: parse(`extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"]) type Query { x: ${type} }`) });
    assert.ok(composeServices([clash('a', 'Int'), clash('b', 'String')]).errors?.length);
  });
});
