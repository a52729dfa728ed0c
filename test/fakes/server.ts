// A loopback HTTP server for fakes of paid APIs. Each fake is a handler that returns true when it
// answered; every request is recorded so tests can count what reached the "provider".
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface Recorded {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type FakeHandler = (
  req: http.IncomingMessage,
  body: string,
  res: http.ServerResponse,
  log: Recorded[],
) => boolean | Promise<boolean>;

export interface FakeServer {
  url: string; // http://127.0.0.1:PORT
  requests: Recorded[];
  close(): Promise<void>;
}

export async function startFakeServer(...handlers: FakeHandler[]): Promise<FakeServer> {
  const requests: Recorded[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const body = Buffer.concat(chunks).toString("utf8");
      requests.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body });
      try {
        for (const h of handlers) if (await h(req, body, res, requests)) return;
        res
          .writeHead(404, { "content-type": "application/json" })
          .end(JSON.stringify({ error: { message: `no fake for ${req.method} ${req.url}` } }));
      } catch (err) {
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: String(err) } }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
