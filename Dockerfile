# kneebot in a container: `docker compose up -d` (compose.yaml) runs it with Redis, or
# `docker build -t kneebot . && docker run --env-file .env -v kneebot-data:/app/data kneebot`.
# It needs DISCORD_* and/or SLACK_* settings: without them kneebot would open the terminal chat,
# which has no one to talk to in a container.

# Build stage: install the production dependencies (better-sqlite3 is native: its prebuilt
# binary is downloaded; the compilers are only a fallback and stay in this stage).
FROM node:20-slim AS build
WORKDIR /app
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# Run stage: Node 20 slim, the app and its dependencies, running as the unprivileged "node" user.
FROM node:20-slim
ENV NODE_ENV=production \
  KNEEBOT_DATA_DIR=/app/data \
  KNEEBOT_KNOWLEDGE_DIR=/app/knowledge \
  KNEEBOT_HTTP_PORT=9464
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY src ./src
COPY adapters ./adapters
COPY bin ./bin
COPY knowledge ./knowledge
RUN mkdir -p /app/data && chown node:node /app/data
USER node
# Sessions, check-ins and the SQLite file live here: keep it across restarts and upgrades.
VOLUME ["/app/data"]
# The ops server (KNEEBOT_HTTP_PORT) answers /healthz inside the container; the image has no
# curl, so Node does the request.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.KNEEBOT_HTTP_PORT||9464)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
STOPSIGNAL SIGTERM
# One process (tsx as a loader, not a wrapper), so SIGTERM reaches kneebot's graceful shutdown.
CMD ["node", "--import", "tsx", "bin/start.ts"]
