// Must be the first import of any module that loads @apollo/gateway: the gateway
// library otherwise contacts outside hosts (cloud metadata addresses, a usage endpoint).
// ES modules evaluate their imports in order, so this runs before @apollo/gateway does.
process.env.APOLLO_TELEMETRY_DISABLED = '1';
export const TELEMETRY_DISABLED = true;
