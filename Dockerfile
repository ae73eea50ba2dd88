# mltrl-bot: web and workers in one image. `docker compose up` runs it next to Redis (docker-compose.yml).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# TypeScript runs through tsx (a dependency), so there is no build step; dev dependencies stay out.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY bin ./bin
COPY src ./src
COPY i18n ./i18n
COPY flows ./flows
COPY cards ./cards
COPY people.yaml tsconfig.json ./
USER node
# Inside a container the server must listen on all interfaces; the playground still refuses to serve
# there unless PLAYGROUND_PUBLIC=true (it has no login).
ENV HOST=0.0.0.0 PORT=3000
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# `start` = web + workers; use `web` or `worker` to run them apart (any number of each, one Redis).
CMD ["node", "bin/mltrl-bot.js", "start"]
