// Byte ranges and conditional requests as RFC 9110 says, over a real file and a real HTTP server.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decideRange } from "../../src/http/ranges.js";
import { evaluatePreconditions } from "../../src/http/conditional.js";
import { sendFile } from "../../src/http/send-file.js";
import { bufferSource, fileSource } from "../../src/http/served-file.js";
import { stopAll, tmpDataDir } from "../helpers/procs.js";

describe("Range", () => {
  it("ignores a garbage or multi-range header (whole file), refuses only a valid one that misses", () => {
    const size = 100;
    expect(decideRange(undefined, size)).toEqual({ kind: "whole" });
    for (const garbage of [
      "bytes=abc",
      "bytes=5-2",
      "bytes=",
      "bytes=-",
      "items=0-9",
      "bytes 0-9",
      "bytes=0-9,x",
      "bytes=1-2-3",
    ]) {
      expect(decideRange(garbage, size), garbage).toEqual({ kind: "whole" });
    }
    expect(decideRange("bytes=0-9,20-29", size)).toEqual({ kind: "whole" });
    expect(decideRange("bytes=0-9, 200-300", size)).toEqual({ kind: "part", start: 0, end: 9 }); // one satisfiable
    expect(decideRange("Bytes=10-", size)).toEqual({ kind: "part", start: 10, end: 99 });
    expect(decideRange("bytes=90-1000", size)).toEqual({ kind: "part", start: 90, end: 99 });
    expect(decideRange("bytes=-10", size)).toEqual({ kind: "part", start: 90, end: 99 });
    expect(decideRange("bytes=-1000", size)).toEqual({ kind: "part", start: 0, end: 99 });
    expect(decideRange("bytes=100-", size)).toEqual({ kind: "unsatisfiable" });
    expect(decideRange("bytes=-0", size)).toEqual({ kind: "unsatisfiable" });
    expect(decideRange("bytes=0-0", 0)).toEqual({ kind: "unsatisfiable" });
  });
});

describe("preconditions", () => {
  const v = { etag: '"abc"', lastModified: new Date("2026-01-01T00:00:00Z") };
  const later = "Thu, 01 Jan 2026 00:00:05 GMT";
  const earlier = "Wed, 31 Dec 2025 23:59:00 GMT";
  const exact = v.lastModified.toUTCString();
  it("answers 304 to a matching If-None-Match or an If-Modified-Since at or after Last-Modified", () => {
    expect(evaluatePreconditions("GET", { "if-none-match": '"abc"' }, v)).toEqual({ status: 304 });
    expect(evaluatePreconditions("GET", { "if-none-match": 'W/"abc"' }, v)).toEqual({ status: 304 }); // weak comparison
    expect(evaluatePreconditions("GET", { "if-none-match": '"x", "abc"' }, v)).toEqual({ status: 304 });
    expect(evaluatePreconditions("GET", { "if-none-match": "*" }, v)).toEqual({ status: 304 });
    expect(evaluatePreconditions("GET", { "if-none-match": '"x"' }, v)).toMatchObject({ status: 200 });
    expect(evaluatePreconditions("GET", { "if-modified-since": exact }, v)).toEqual({ status: 304 });
    expect(evaluatePreconditions("HEAD", { "if-modified-since": later }, v)).toEqual({ status: 304 });
    expect(evaluatePreconditions("GET", { "if-modified-since": earlier }, v)).toMatchObject({ status: 200 });
    expect(evaluatePreconditions("GET", { "if-modified-since": "garbage" }, v)).toMatchObject({ status: 200 });
    // If-None-Match wins over If-Modified-Since (RFC 9110 §13.1.3)
    expect(evaluatePreconditions("GET", { "if-none-match": '"x"', "if-modified-since": later }, v)).toMatchObject({
      status: 200,
    });
  });

  it("answers 412 to a failed If-Match / If-Unmodified-Since", () => {
    expect(evaluatePreconditions("GET", { "if-match": '"x"' }, v)).toEqual({ status: 412 });
    expect(evaluatePreconditions("GET", { "if-match": 'W/"abc"' }, v)).toEqual({ status: 412 }); // strong comparison
    expect(evaluatePreconditions("GET", { "if-match": '"abc"' }, v)).toMatchObject({ status: 200 });
    expect(evaluatePreconditions("GET", { "if-unmodified-since": earlier }, v)).toEqual({ status: 412 });
  });

  it("honours Range only when If-Range still names this file", () => {
    expect(evaluatePreconditions("GET", { "if-range": '"abc"' }, v)).toEqual({ status: 200, honourRange: true });
    expect(evaluatePreconditions("GET", { "if-range": '"old"' }, v)).toEqual({ status: 200, honourRange: false });
    expect(evaluatePreconditions("GET", { "if-range": 'W/"abc"' }, v)).toEqual({ status: 200, honourRange: false });
    expect(evaluatePreconditions("GET", { "if-range": exact }, v)).toEqual({ status: 200, honourRange: true });
    expect(evaluatePreconditions("GET", { "if-range": later }, v)).toEqual({ status: 200, honourRange: false });
    // a date within the same second as now is a weak validator: never used for If-Range
    expect(evaluatePreconditions("GET", { "if-range": exact }, v, new Date(v.lastModified.getTime() + 500))).toEqual({
      status: 200,
      honourRange: false,
    });
  });
});

describe("sendFile over HTTP", () => {
  let server: http.Server;
  let port = 0;
  const bytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251));
  let file = "";

  beforeAll(async () => {
    file = path.join(tmpDataDir(), "audio.mp3");
    writeFileSync(file, bytes);
    utimesSync(file, new Date("2026-01-01T00:00:00Z"), new Date("2026-01-01T00:00:00Z"));
    server = http.createServer((req, res) => {
      const src =
        req.url === "/mem" ? Promise.resolve(bufferSource(bytes, new Date("2026-01-01T00:00:00Z"))) : fileSource(file);
      void src.then((f) => sendFile(req, res, req.url === "/missing" ? undefined : f, "audio/mpeg"));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await stopAll();
  });

  const get = (p: string, headers: Record<string, string> = {}, method = "GET") =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      const r = http.request({ host: "127.0.0.1", port, path: p, method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      });
      r.on("error", reject);
      r.end();
    });

  for (const p of ["/file", "/mem"]) {
    it(`${p}: validators, 304s, whole file for garbage and multi ranges, 206 for one`, async () => {
      const full = await get(p);
      expect(full.status).toBe(200);
      expect(full.body.equals(bytes)).toBe(true);
      const etag = full.headers.etag!;
      expect(etag).toMatch(/^"[^"]+"$/);
      expect(full.headers["last-modified"]).toBe("Thu, 01 Jan 2026 00:00:00 GMT");
      expect(full.headers["accept-ranges"]).toBe("bytes");

      const multi = await get(p, { range: "bytes=0-9,20-29" });
      expect(multi.status).toBe(200);
      expect(multi.body.equals(bytes)).toBe(true);
      const garbage = await get(p, { range: "bytes=garbage" });
      expect(garbage.status).toBe(200);
      expect(garbage.body.equals(bytes)).toBe(true);
      const part = await get(p, { range: "bytes=100-199" });
      expect(part.status).toBe(206);
      expect(part.headers["content-range"]).toBe("bytes 100-199/5000");
      expect(part.body.equals(bytes.subarray(100, 200))).toBe(true);
      const miss = await get(p, { range: "bytes=6000-" });
      expect(miss.status).toBe(416);
      expect(miss.headers["content-range"]).toBe("bytes */5000");

      const notModified = await get(p, { "if-none-match": etag });
      expect(notModified.status).toBe(304);
      expect(notModified.body.length).toBe(0);
      expect(notModified.headers.etag).toBe(etag);
      expect((await get(p, { "if-modified-since": "Thu, 01 Jan 2026 00:00:00 GMT" })).status).toBe(304);
      expect((await get(p, { "if-modified-since": "Wed, 31 Dec 2025 00:00:00 GMT" })).status).toBe(200);

      const resumed = await get(p, { range: "bytes=4990-", "if-range": etag });
      expect(resumed.status).toBe(206);
      expect(resumed.body.equals(bytes.subarray(4990))).toBe(true);
      const changed = await get(p, { range: "bytes=4990-", "if-range": '"another-file"' });
      expect(changed.status).toBe(200);
      expect(changed.body.equals(bytes)).toBe(true);
      expect((await get(p, { "if-match": '"another-file"' })).status).toBe(412);

      const head = await get(p, {}, "HEAD");
      expect(head.status).toBe(200);
      expect(head.headers["content-length"]).toBe("5000");
      expect(head.body.length).toBe(0);
    });
  }

  it("a new file under the same name gets a new tag, so If-Range no longer holds", async () => {
    const before = (await get("/file")).headers.etag!;
    writeFileSync(file, Buffer.concat([bytes.subarray(1), Buffer.from([0])]));
    const after = await get("/file", { range: "bytes=0-9", "if-range": before });
    expect(after.headers.etag).not.toBe(before);
    expect(after.status).toBe(200);
    writeFileSync(file, bytes);
  });

  it("404 when there is no file", async () => {
    expect((await get("/missing")).status).toBe(404);
  });
});
