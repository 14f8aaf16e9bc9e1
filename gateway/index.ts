// Gateway entry: `tsx gateway/index.ts` (npm start runs it with the subgraphs).
import './telemetry-off.ts';
import { pathToFileURL } from 'node:url';
import { loadGatewayConfig } from './config.ts';
import { startGateway } from './server.ts';
import { logger } from '../subgraphs/shared/log.ts';
import { gatewayWorkers, runPrimary, servesHere } from './cluster.ts';

export { loadGatewayConfig, startGateway };

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href && !servesHere(gatewayWorkers())) {
  runPrimary(gatewayWorkers()); // several processes on one port (GATEWAY_WORKERS): gateway/cluster.ts
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const gateway = await startGateway(loadGatewayConfig());
  logger.info({ url: gateway.url }, 'gateway listening');
  const stop = () => gateway.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
