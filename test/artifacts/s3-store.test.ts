// The S3 store against s3rver on 127.0.0.1: multipart uploads, presigned URLs, the bucket prefix,
// and the failures a shared store meets: the server going down mid-upload, slow responses, wrong
// credentials, a missing bucket. Every failure must come back as an AppError with a kind the queue
// can act on, after a bounded number of tries, and leave no object under the final key.
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createS3Store, type ArtifactStore } from "../../src/artifacts/index.js";
import { AppError } from "../../src/errors.js";
import { stopAll, tmpDataDir } from "../helpers/procs.js";
import { startS3rver, type TestS3 } from "./s3rver.js";
import { startFaultProxy, type FaultProxy } from "./fault-proxy.js";

const MiB = 1024 * 1024;
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/** A file of `size` bytes that differ from position to position (a shifted part would show). */
function patternFile(size: number, seed: number): { file: string; bytes: Buffer } {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i + 4 <= size; i += 4) bytes.writeUInt32LE((i * 2654435761 + seed) >>> 0, i);
  const file = path.join(tmpDataDir("podcast-mcp-s3-src-"), "audio.mp3");
  writeFileSync(file, bytes);
  return { file, bytes };
}

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

/** Requests by kind, as s3rver receives them. */
function countRequests(s3: TestS3) {
  const seen = { parts: 0, puts: 0, creates: 0, completes: 0, total: 0 };
  s3.onRequest = (req: IncomingMessage) => {
    const url = new URL(req.url ?? "/", "http://x");
    seen.total++;
    if (req.method === "PUT" && url.searchParams.has("partNumber")) seen.parts++;
    else if (req.method === "PUT") seen.puts++;
    if (req.method === "POST" && url.searchParams.has("uploads")) seen.creates++;
    if (req.method === "POST" && url.searchParams.has("uploadId")) seen.completes++;
  };
  return seen;
}

let s3: TestS3;
const stores: ArtifactStore[] = [];
const proxies: FaultProxy[] = [];
const store = (over: Parameters<TestS3["config"]>[0] = {}) => {
  const s = createS3Store(s3.config(over));
  stores.push(s);
  return s;
};

beforeAll(async () => {
  s3 = await startS3rver();
});
afterEach(async () => {
  s3.onRequest = undefined;
  if (!s3.running()) await s3.start();
  for (const p of proxies.splice(0)) await p.close();
});
afterAll(async () => {
  for (const s of stores.splice(0)) await s.close();
  await s3.destroy();
  await stopAll();
});

describe("S3 store on s3rver", () => {
  it("uploads a file larger than the part size in parts, and reads back the same bytes", async () => {
    const { file, bytes } = patternFile(12 * MiB + 12345, 1);
    const seen = countRequests(s3);
    const st = store();
    await st.putFile("episodes/big/audio.mp3", file);
    expect(seen).toMatchObject({ creates: 1, parts: 3, completes: 1, puts: 0 });
    expect((await st.head("episodes/big/audio.mp3"))?.size).toBe(bytes.length);
    expect(sha((await st.get("episodes/big/audio.mp3"))!)).toBe(sha(bytes));

    // put() of a large Buffer takes the same multipart path; a small one is a single PUT.
    const seen2 = countRequests(s3);
    await st.put("episodes/big/copy.bin", bytes);
    await st.put("episodes/big/small.json", "{}");
    expect(seen2).toMatchObject({ creates: 1, parts: 3, completes: 1, puts: 1 });

    // A range that spans the boundary between parts 1 and 2.
    const chunks: Buffer[] = [];
    for await (const c of await st.open("episodes/big/copy.bin", { start: 5 * MiB - 3, end: 5 * MiB + 4 }))
      chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).equals(bytes.subarray(5 * MiB - 3, 5 * MiB + 5))).toBe(true);
  });

  it("stores each object with a Content-Type from its key, or the one given", async () => {
    const st = store();
    await st.put("episodes/ct/audio.mp3", "ID3");
    await st.put("episodes/ct/transcript.vtt", "WEBVTT");
    await st.put("episodes/ct/blob", "x", { contentType: "application/x-custom" });
    const types = await Promise.all(
      ["audio.mp3", "transcript.vtt", "blob"].map(async (n) =>
        (await fetch(await st.presignGet!(`episodes/ct/${n}`, 60))).headers.get("content-type"),
      ),
    );
    expect(types).toEqual(["audio/mpeg", "text/vtt; charset=utf-8", "application/x-custom"]);
  });

  it("presigns a short-lived GET that works without credentials, ranges included", async () => {
    const st = store();
    await st.put("episodes/p1/audio.mp3", "0123456789");
    const url = await st.presignGet!("episodes/p1/audio.mp3", 60);
    expect(new URL(url).origin).toBe(s3.endpoint);
    expect(url).toMatch(/X-Amz-Expires=60/);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("0123456789");
    const part = await fetch(url, { headers: { Range: "bytes=3-5" } });
    expect(part.status).toBe(206);
    expect(await part.text()).toBe("345");
    // (s3rver does not check SigV4 signatures or expiry, so tampering and expiry are not tested here.)
    for (const ttl of [0, -5, 1.5, 8 * 24 * 3600]) {
      expect((await rejection(st.presignGet!("episodes/p1/audio.mp3", ttl))).message).toMatch(/^ttlSeconds: /);
    }
  });

  it("keeps every key under the bucket prefix, and deletePrefix never leaves it", async () => {
    const tenant = store({ prefix: "tenant-a/prod/" });
    const root = store();
    await root.put("episodes/e1/audio.mp3", "outside");
    await tenant.put("episodes/e1/audio.mp3", "inside");
    expect((await root.get("tenant-a/prod/episodes/e1/audio.mp3"))?.toString()).toBe("inside");
    await tenant.deletePrefix("episodes/");
    expect(await tenant.head("episodes/e1/audio.mp3")).toBeUndefined();
    expect((await root.get("episodes/e1/audio.mp3"))?.toString()).toBe("outside");
  });

  it("deletes more objects than one listing page holds, one page after another", async () => {
    const st = createS3Store(s3.config({ prefix: "many/" }), { listPageSize: 10 });
    stores.push(st);
    const key = (i: number) => `cache/tts/${i.toString(16).padStart(32, "0")}.pcm`;
    for (let i = 0; i < 25; i++) await st.put(key(i), "x");
    await st.put("other/kept.bin", "kept");
    let lists = 0;
    s3.onRequest = (req) => {
      if (req.method === "GET" && /^\/podcasts\/?\?/.test(req.url ?? "")) lists++;
    };
    await st.deletePrefix("cache/");
    expect(lists).toBe(3); // 10 + 10 + 5
    for (let i = 0; i < 25; i++) expect(await st.head(key(i))).toBeUndefined();
    expect((await st.get("other/kept.bin"))?.toString()).toBe("kept");
  });

  it("server down mid-upload: a readable transient error after bounded tries, no object; retry works", async () => {
    const { file, bytes } = patternFile(16 * MiB, 2);
    const key = "episodes/down/audio.mp3";
    const st = store({ maxAttempts: 3, timeoutMs: 2_000 });
    let parts = 0;
    s3.onRequest = (req) => {
      // Stop the server as the second part arrives: part 1 may be in, the upload is not complete.
      if (req.method === "PUT" && /partNumber=/.test(req.url ?? "") && ++parts === 2) void s3.stop();
    };
    const err = await rejection(st.putFile(key, file));
    expect(err.kind).toBe("provider_transient");
    expect(err.message).toMatch(/^artifact store \(S3\): put episodes\/down\/audio\.mp3 failed after 3 attempts: /);
    expect(err.message).toMatch(/ECONNREFUSED|ECONNRESET|socket hang up|EPIPE/);
    expect(s3.running()).toBe(false);

    s3.onRequest = undefined;
    await s3.start();
    expect(await st.head(key)).toBeUndefined();
    expect(await st.get(key)).toBeUndefined();
    await st.putFile(key, file);
    expect(sha((await st.get(key))!)).toBe(sha(bytes));
  });

  it("server down for reads: get, head and open fail as transient, never as 'missing'", async () => {
    const st = store({ maxAttempts: 2, timeoutMs: 2_000 });
    await st.put("episodes/r/audio.mp3", "abc");
    await s3.stop();
    for (const call of [
      () => st.get("episodes/r/audio.mp3"),
      () => st.head("episodes/r/audio.mp3"),
      () => st.open("episodes/r/audio.mp3"),
    ]) {
      const err = await rejection(call());
      expect(err.kind).toBe("provider_transient");
      expect(err.message).toMatch(/after 2 attempts/);
    }
  });

  it("a part the server keeps refusing: its error, not the abort's, comes back; no object", async () => {
    const proxy = await startFaultProxy(s3.endpoint);
    proxies.push(proxy);
    proxy.fail = (req) => (req.method === "PUT" && /partNumber=2/.test(req.url ?? "") ? 503 : undefined);
    const st = store({ endpoint: proxy.url, maxAttempts: 3 });
    const { file } = patternFile(11 * MiB, 3);
    const err = await rejection(st.putFile("episodes/refused/audio.mp3", file));
    expect(err.kind).toBe("provider_transient");
    expect(err.message).toMatch(
      /^artifact store \(S3\): put episodes\/refused\/audio\.mp3 failed after 3 attempts \(HTTP 503\): Service/,
    );
    expect(proxy.requests.filter((r) => r.method === "PUT" && /partNumber=2/.test(r.url))).toHaveLength(3);
    // The abort is sent (s3rver 3.7 does not implement it and answers 405: logged, not thrown).
    expect(
      proxy.requests.filter((r) => r.method === "DELETE" && /uploadId=/.test(r.url)).length,
    ).toBeGreaterThanOrEqual(1);
    expect(proxy.requests.some((r) => r.method === "POST" && /uploadId=/.test(r.url))).toBe(false); // never completed
    expect(await st.head("episodes/refused/audio.mp3")).toBeUndefined();
  });

  it("slow responses: the idle timeout fires, each try counted, reported as transient; fast ones pass", async () => {
    const proxy = await startFaultProxy(s3.endpoint, 5_000);
    proxies.push(proxy);
    const st = store({ endpoint: proxy.url, timeoutMs: 300, maxAttempts: 2 });
    const err = await rejection(st.put("episodes/slow/transcript.json", "{}"));
    expect(err.kind).toBe("provider_transient");
    expect(err.message).toMatch(
      /^artifact store \(S3\): put episodes\/slow\/transcript\.json failed after 2 attempts: TimeoutError: /,
    );
    expect(proxy.requests).toHaveLength(2);

    const head = await rejection(st.head("episodes/slow/transcript.json"));
    expect(head.kind).toBe("provider_transient");
    expect(proxy.requests).toHaveLength(4);

    proxy.delayMs = 20; // slower than loopback, well inside the timeout
    await st.put("episodes/slow/transcript.json", '{"ok":true}');
    expect((await st.get("episodes/slow/transcript.json"))?.toString()).toBe('{"ok":true}');
  });

  it("wrong credentials are provider_auth, a missing bucket is provider_permanent: neither is retried", async () => {
    const seen = countRequests(s3);
    // s3rver checks the key id but not SigV4 signatures, so an unknown key id stands in for a wrong secret.
    const wrong = store({ credentials: { accessKeyId: "NOT-A-KEY", secretAccessKey: "not-the-secret" } });
    const auth = await rejection(wrong.put("episodes/x/audio.mp3", "x"));
    expect(auth.kind).toBe("provider_auth");
    expect(auth.message).toMatch(/InvalidAccessKeyId/);
    expect(auth.message).not.toMatch(/not-the-secret/);
    expect(seen.total).toBe(1);

    const noBucket = store({ bucket: "no-such-bucket" });
    const missing = await rejection(noBucket.put("episodes/x/audio.mp3", "x"));
    expect(missing.kind).toBe("provider_permanent");
    expect(missing.message).toMatch(/NoSuchBucket/);
    expect(seen.total).toBe(2);
  });
});
