# One image for the gateway, the subgraphs and the seed job; the command picks the role.
FROM node:20-bookworm-slim
ENV NODE_ENV=production APOLLO_TELEMETRY_DISABLED=1
WORKDIR /app
# patches/ before the install: its postinstall (patch-package) fixes the query planner.
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
USER node
CMD ["node", "--max-semi-space-size=64", "--import", "tsx", "gateway/index.ts"]
