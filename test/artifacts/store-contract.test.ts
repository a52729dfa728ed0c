// One contract, two stores: the data dir and S3 (s3rver on 127.0.0.1). Whatever the HTTP routes,
// the pipeline and the speech cache rely on is asserted here against both, so swapping the store
// by configuration changes nothing a caller sees.
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createDataDirStore,
  createS3Store,
  episodeKey,
  episodePrefix,
  getSpeechClip,
  putSpeechClip,
  speechClipKey,
  type ArtifactStore,
} from "../../src/artifacts/index.js";
import { AppError } from "../../src/errors.js";
import { stopAll, tmpDataDir } from "../helpers/procs.js";
import { startS3rver } from "./s3rver.js";

afterAll(stopAll);

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

/** The AppError a call rejects with (fails the test when it resolves or throws anything else). */
async function appError(p: Promise<unknown> | (() => unknown)): Promise<AppError> {
  try {
    await (typeof p === "function" ? p() : p);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error("expected the call to fail");
}

const STORES = [
  {
    kind: "file",
    make: async () => ({ store: createDataDirStore(tmpDataDir("podcast-mcp-artifacts-")), stop: async () => {} }),
  },
  {
    kind: "s3",
    make: async () => {
      const s3 = await startS3rver();
      const store = createS3Store(s3.config());
      return { store, stop: async () => (await store.close(), await s3.destroy()) };
    },
  },
] as const;

describe.each(STORES)("artifact store contract: $kind", ({ make }) => {
  let store: ArtifactStore;
  let stop: () => Promise<void>;
  beforeAll(async () => ({ store, stop } = await make()));
  afterAll(() => stop());

  it("puts, gets and heads strings, Buffers and Uint8Arrays; a missing key is undefined", async () => {
    await store.put("episodes/e1/transcript.md", "# Title\n\nHello.\n");
    await store.put("episodes/e1/transcript.json", Buffer.from('{"a":1}'));
    await store.put("episodes/e1/raw.bin", new Uint8Array([0, 1, 2, 255]));
    expect((await store.get("episodes/e1/transcript.md"))?.toString()).toBe("# Title\n\nHello.\n");
    expect((await store.get("episodes/e1/transcript.json"))?.toString()).toBe('{"a":1}');
    expect([...((await store.get("episodes/e1/raw.bin")) ?? [])]).toEqual([0, 1, 2, 255]);

    const info = await store.head("episodes/e1/transcript.md");
    expect(info?.size).toBe(16);
    expect(info?.etag).toMatch(/^"[^"]+"$/);
    expect(info?.lastModified).toBeInstanceOf(Date);
    expect(Math.abs(info!.lastModified.getTime() - Date.now())).toBeLessThan(10 * 60_000);

    expect(await store.get("episodes/e1/missing.mp3")).toBeUndefined();
    expect(await store.head("episodes/e1/missing.mp3")).toBeUndefined();
    expect(await store.head("episodes/nothing-here/audio.mp3")).toBeUndefined();
    expect(await store.head("episodes/e1")).toBeUndefined(); // a "directory" is no artifact
    expect((await appError(store.open("episodes/e1/missing.mp3"))).kind).toBe("not_found");
  });

  it("replaces an object: the new bytes, and a new etag when the content changes", async () => {
    await store.put("episodes/e2/transcript.vtt", "WEBVTT\n\nold");
    const before = await store.head("episodes/e2/transcript.vtt");
    await new Promise((r) => setTimeout(r, 20)); // a new mtime for the data dir's etag
    await store.put("episodes/e2/transcript.vtt", "WEBVTT\n\nnew text");
    const after = await store.head("episodes/e2/transcript.vtt");
    expect((await store.get("episodes/e2/transcript.vtt"))?.toString()).toBe("WEBVTT\n\nnew text");
    expect(after?.size).toBe(16);
    expect(after?.etag).not.toBe(before?.etag);
  });

  it("opens the whole object and byte ranges, clamping an end past the size as HTTP does", async () => {
    const body = Buffer.from("0123456789abcdef");
    await store.put("episodes/e3/audio.mp3", body);
    expect((await readAll(await store.open("episodes/e3/audio.mp3"))).toString()).toBe("0123456789abcdef");
    expect((await readAll(await store.open("episodes/e3/audio.mp3", { start: 0, end: 0 }))).toString()).toBe("0");
    expect((await readAll(await store.open("episodes/e3/audio.mp3", { start: 2, end: 5 }))).toString()).toBe("2345");
    expect((await readAll(await store.open("episodes/e3/audio.mp3", { start: 10, end: 999 }))).toString()).toBe(
      "abcdef",
    );
    expect((await readAll(await store.open("episodes/e3/audio.mp3", { start: 15, end: 15 }))).toString()).toBe("f");

    const past = await appError(store.open("episodes/e3/audio.mp3", { start: 16, end: 20 }));
    expect(past.kind).toBe("invalid_input");
    expect(past.message).toBe("range: start must be below the size (16 bytes)");
    for (const bad of [
      { start: 5, end: 4 },
      { start: -1, end: 3 },
      { start: 0.5, end: 3 },
    ]) {
      expect((await appError(store.open("episodes/e3/audio.mp3", bad))).message).toMatch(/^range: /);
    }
  });

  it("streams a local file in with putFile; a missing local file is invalid_input", async () => {
    const dir = tmpDataDir("podcast-mcp-artifacts-src-");
    const file = path.join(dir, "audio.mp3");
    const bytes = Buffer.alloc(300_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) & 0xff;
    writeFileSync(file, bytes);
    await store.putFile("episodes/e4/audio.mp3", file, { contentType: "audio/mpeg" });
    const back = await store.get("episodes/e4/audio.mp3");
    expect(back?.equals(bytes)).toBe(true);
    expect((await store.head("episodes/e4/audio.mp3"))?.size).toBe(300_000);

    const missing = await appError(store.putFile("episodes/e4/other.mp3", path.join(dir, "nope.mp3")));
    expect(missing.message).toBe("localPath: must be an existing file");
    expect((await appError(store.putFile("episodes/e4/other.mp3", dir))).kind).toBe("invalid_input"); // a directory
  });

  it("refuses every key that could escape, in every call, before touching anything", async () => {
    const bad = [
      "",
      "/etc/passwd",
      "../secret",
      "episodes/../../x",
      "episodes/a/..",
      "a//b",
      "a/./b",
      ".hidden",
      "a/.hidden",
      "a\\b",
      "a b",
      "a/",
      "C:/x",
      "a/b\0c",
      "é/x",
      "x".repeat(513),
    ];
    for (const key of bad) {
      for (const call of [
        () => store.put(key, "x"),
        () => store.putFile(key, "/dev/null"),
        () => store.get(key),
        () => store.head(key),
        () => store.open(key),
      ]) {
        const err = await appError(call);
        expect(err.kind, JSON.stringify(key)).toBe("invalid_input");
        expect(err.field).toBe("key");
      }
    }
    for (const prefix of ["episodes", "../", "/", "", "episodes/../"]) {
      expect((await appError(store.deletePrefix(prefix))).kind).toBe("invalid_input");
    }
  });

  it("deletePrefix removes exactly the prefix: episodes/a/ leaves episodes/ab/ alone", async () => {
    await store.put(episodeKey("a", "audio.mp3"), "A");
    await store.put(episodeKey("a", "transcript.json"), "{}");
    await store.put("episodes/a/deeper/part.bin", "D");
    await store.put(episodeKey("ab", "audio.mp3"), "AB");
    await store.deletePrefix(episodePrefix("a"));
    expect(await store.head(episodeKey("a", "audio.mp3"))).toBeUndefined();
    expect(await store.head(episodeKey("a", "transcript.json"))).toBeUndefined();
    expect(await store.head("episodes/a/deeper/part.bin")).toBeUndefined();
    expect((await store.get(episodeKey("ab", "audio.mp3")))?.toString()).toBe("AB");
    await store.deletePrefix("episodes/never-written/"); // nothing there: no error
  });

  it("keeps speech clips as raw float32 under cache/tts/<hash>.pcm", async () => {
    const hash = createHash("sha256").update("openai|tts-1|alloy|Hello there.").digest("hex");
    const samples = new Float32Array([0, 0.25, -0.5, 1, -1, 1e-7]);
    expect(await getSpeechClip(store, hash, samples.length)).toBeUndefined();
    await putSpeechClip(store, hash, samples);
    expect(await getSpeechClip(store, hash, samples.length)).toEqual(samples);
    expect((await store.head(speechClipKey(hash)))?.size).toBe(24);
    // A record that disagrees with the clip is reported, not served as noise.
    expect((await appError(getSpeechClip(store, hash, 7))).message).toMatch(/expected 28 bytes, found 24/);
    expect((await appError(() => speechClipKey("../x"))).kind).toBe("invalid_input");
  });
});

describe("data-dir store", () => {
  const store = createDataDirStore(tmpDataDir("podcast-mcp-artifacts-"));

  it("keeps the data dir's layout, so files of existing installs stay readable", async () => {
    const local = store.localPath!("episodes/old1/audio.mp3");
    const dataDir = path.dirname(path.dirname(path.dirname(local)));
    expect(local).toBe(path.join(dataDir, "episodes", "old1", "audio.mp3"));
    expect(store.localPath!(speechClipKey("ab".repeat(32)))).toBe(
      path.join(dataDir, "cache", "tts", `${"ab".repeat(32)}.pcm`),
    );
    // A file written the way the app wrote them before this store existed.
    const { mkdirSync } = await import("node:fs");
    mkdirSync(path.dirname(local), { recursive: true });
    writeFileSync(local, "ID3 old episode");
    expect((await store.get("episodes/old1/audio.mp3"))?.toString()).toBe("ID3 old episode");
    expect(store.presignGet).toBeUndefined();
  });

  it("never shows a half-written file: readers see the old or the new content, whole", async () => {
    const key = "episodes/e5/audio.mp3";
    const a = Buffer.alloc(4 * 1024 * 1024, 0x61);
    const b = Buffer.alloc(4 * 1024 * 1024, 0x62);
    await store.put(key, a);
    let reads = 0;
    let writing = true;
    const reader = (async () => {
      while (writing || reads < 5) {
        const got = (await store.get(key))!;
        expect(got.length).toBe(a.length);
        expect(got[0] === 0x61 ? got.equals(a) : got.equals(b)).toBe(true);
        reads++;
      }
    })();
    for (let i = 0; i < 6; i++) await store.put(key, i % 2 ? a : b);
    writing = false;
    await reader;
    expect(reads).toBeGreaterThanOrEqual(5);
  });

  it("leaves no temp file behind, and takes a file already written in place as is", async () => {
    const { readdirSync, mkdirSync } = await import("node:fs");
    await store.put("episodes/e6/transcript.md", "one");
    await store.put("episodes/e6/transcript.md", "two");
    const local = store.localPath!("episodes/e6/audio.mp3");
    mkdirSync(path.dirname(local), { recursive: true });
    writeFileSync(local, "written by the encoder");
    await store.putFile("episodes/e6/audio.mp3", local);
    expect(readdirSync(path.dirname(local)).sort()).toEqual(["audio.mp3", "transcript.md"]);
    expect((await store.get("episodes/e6/audio.mp3"))?.toString()).toBe("written by the encoder");
  });
});
