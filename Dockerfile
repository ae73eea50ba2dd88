# mltrl-bot: web and workers in one image. `docker compose up` runs it next to Redis (docker-compose.yml);
# deploy/kubernetes has manifests.
# Stage 1: production dependencies only (TypeScript runs through tsx, a dependency: no build step).
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# Stage 2: the runtime image, without npm's cache or build tools, as the unprivileged `node` user.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY package.json tsconfig.json people.yaml ./
COPY bin ./bin
COPY src ./src
COPY i18n ./i18n
COPY flows ./flows
COPY holidays ./holidays
COPY cards ./cards
RUN mkdir -p /data && chown node:node /data
USER node
# Inside a container the server must listen on all interfaces; the playground still refuses to serve
# there unless PLAYGROUND_PUBLIC=true (it has no login). HEALTH_PORT serves /healthz, /readyz and
# /metrics in every process, workers included, so the health check below works for `web` and `worker`.
ENV HOST=0.0.0.0 PORT=3000 HEALTH_PORT=3001 DATA_DIR=/data LOG_FORMAT=json
EXPOSE 3000 3001
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:'+(process.env.HEALTH_PORT||process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# `start` = web + workers; use `web` or `worker` to run them apart (any number of each, one Redis).
ENTRYPOINT ["node", "bin/mltrl-bot.js"]
CMD ["start"]
