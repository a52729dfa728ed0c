// A loopback HTTP proxy in front of s3rver that makes it misbehave the way real servers do: it can
// hold every response for `delayMs` (a slow or hung server, as the client sees it) and answer
// chosen requests itself with an S3 error (a 503 on one part, say). It counts requests and keeps
// their method and URL, so a test can check that retries are bounded by count, not by time.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface FaultProxy {
  url: string;
  delayMs: number;
  /** A status to answer instead of forwarding (with an S3 XML error body), or undefined. */
  fail: ((req: http.IncomingMessage) => number | undefined) | undefined;
  requests: { method: string; url: string }[];
  close(): Promise<void>;
}

const INJECTED_ERROR = "<Error><Code>ServiceUnavailable</Code><Message>injected</Message></Error>";

export async function startFaultProxy(target: string, delayMs = 0): Promise<FaultProxy> {
  const to = new URL(target);
  const timers = new Set<NodeJS.Timeout>();
  const later = (fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, p.delayMs);
    timers.add(timer);
  };
  const server = http.createServer((req, res) => {
    p.requests.push({ method: req.method ?? "", url: req.url ?? "" });
    const status = p.fail?.(req);
    if (status !== undefined) {
      req.resume();
      const body = `<?xml version="1.0" encoding="UTF-8"?>\n${INJECTED_ERROR}`;
      later(() => res.writeHead(status, { "content-type": "application/xml" }).end(body));
      return;
    }
    const upstream = http.request(
      { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers },
      (up) =>
        later(() => {
          if (res.destroyed) return up.destroy();
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        }),
    );
    upstream.on("error", () => res.destroy());
    res.on("close", () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const p: FaultProxy = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    delayMs,
    fail: undefined,
    requests: [],
    close: () =>
      new Promise<void>((r) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
  return p;
}
