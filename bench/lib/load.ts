// Load generator over real HTTP (node:http, keep-alive) and latency statistics.
import http from "node:http";

export interface Target {
  agent: http.Agent;
  host: string;
  port: number;
  token: string;
}

export function target(baseUrl: string, token: string, concurrency: number): Target {
  const url = new URL(baseUrl);
  return { agent: new http.Agent({ keepAlive: true, maxSockets: concurrency }), host: url.hostname, port: Number(url.port), token };
}

export interface Reply {
  status: number;
  body: string;
}

export function get(to: Target, path: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { agent: to.agent, host: to.host, port: to.port, path, method: "GET", headers: { authorization: `Bearer ${to.token}` } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    request.end();
  });
}

export async function getJson(to: Target, path: string): Promise<any> {
  const reply = await get(to, path);
  if (reply.status !== 200) throw new Error(`GET ${path}: ${reply.status} ${reply.body.slice(0, 300)}`);
  return JSON.parse(reply.body);
}

/**
 * Sends `count` requests (paths taken round-robin) with `concurrency` in flight, stopping early once
 * `budgetMs` has passed (so a pathological scenario cannot run for an hour); returns latencies (ms) and wall time.
 */
export async function run(to: Target, paths: string[], count: number, concurrency: number, budgetMs = Infinity): Promise<{ latencies: number[]; wallMs: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count && performance.now() - started < budgetMs) {
      const path = paths[next++ % paths.length];
      const sent = performance.now();
      const reply = await get(to, path);
      latencies.push(performance.now() - sent);
      if (reply.status !== 200) throw new Error(`GET ${path}: ${reply.status} ${reply.body.slice(0, 300)}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { latencies, wallMs: performance.now() - started };
}

export interface Stats {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  rps: number;
}

export function stats(latencies: number[], wallMs: number): Stats {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { count: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), rps: (sorted.length * 1000) / wallMs };
}
