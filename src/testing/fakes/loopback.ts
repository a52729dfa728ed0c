// A minimal loopback HTTP server for the speech fakes outside the test suite (the benchmark).
// Tests use test/fakes/server.ts, which also records every request.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { SpeechFakeHandler } from "./speech-common.js";

export interface Loopback {
  url: string; // http://127.0.0.1:PORT
  close(): Promise<void>;
}

export async function startLoopback(...handlers: SpeechFakeHandler[]): Promise<Loopback> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const body = Buffer.concat(chunks).toString("utf8");
      try {
        for (const h of handlers) if (await h(req, body, res)) return;
        res.writeHead(404).end();
      } catch (err) {
        if (!res.headersSent) res.writeHead(500);
        res.end(String(err));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
