FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY metadata/package.json metadata/
COPY server/package.json server/
COPY runtime-ui/package.json runtime-ui/
COPY studio/package.json studio/
COPY seeds/package.json seeds/
RUN npm ci --no-audit --no-fund
COPY . .
EXPOSE 3000
CMD ["npm", "start"]
