// A loopback HTTP proxy that holds every response for `delayMs` before passing it on: a slow or
// hung S3 server, as the client sees it. It counts requests, so a test can check that retries are
// bounded by count rather than by time.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface SlowProxy {
  url: string;
  delayMs: number;
  requests: number;
  close(): Promise<void>;
}

export async function startSlowProxy(target: string, delayMs: number): Promise<SlowProxy> {
  const to = new URL(target);
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    p.requests++;
    const upstream = http.request(
      { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (res.destroyed) return up.destroy();
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        }, p.delayMs);
        timers.add(timer);
      },
    );
    upstream.on("error", () => res.destroy());
    res.on("close", () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const p: SlowProxy = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    delayMs,
    requests: 0,
    close: () =>
      new Promise<void>((r) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
  return p;
}
