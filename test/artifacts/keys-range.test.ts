// The pure parts: key rules and builders, range rules, the range slicer, content types, the store
// chosen by config.
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import {
  checkKey,
  checkPrefix,
  contentTypeFor,
  episodeKey,
  episodePrefix,
  openArtifactStore,
  speechClipKey,
} from "../../src/artifacts/index.js";
import { checkRange, clampRange, sliceStream } from "../../src/artifacts/range.js";
import { AppError } from "../../src/errors.js";

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error("expected a throw");
}

async function text(stream: Readable): Promise<string> {
  let s = "";
  for await (const c of stream) s += Buffer.from(c as Uint8Array).toString();
  return s;
}

describe("keys", () => {
  it("builds the data dir's layout", () => {
    expect(episodeKey("abc_123", "audio.mp3")).toBe("episodes/abc_123/audio.mp3");
    expect(episodeKey("x", "transcript.json")).toBe("episodes/x/transcript.json");
    expect(episodePrefix("x")).toBe("episodes/x/");
    const hash = "0123456789abcdef".repeat(4);
    expect(speechClipKey(hash)).toBe(`cache/tts/${hash}.pcm`);
  });

  it("refuses ids, names and hashes that are not plain", () => {
    for (const id of ["", "a/b", "..", "episode:x", "a-b", "x".repeat(129)]) {
      expect(thrown(() => episodePrefix(id)).message).toBe("episode_id: must be letters, digits and _ only");
    }
    for (const name of ["", "../x", "a/../b", ".tmp", "a b"])
      expect(thrown(() => episodeKey("x", name)).field).toBe("name");
    for (const h of ["ABCDEF".repeat(6), "abc", "g".repeat(64), `${"a".repeat(64)}/x`]) {
      expect(thrown(() => speechClipKey(h)).kind).toBe("invalid_input");
    }
  });

  it("accepts plain keys up to 512 characters and names the field in errors", () => {
    expect(checkKey("a")).toBe("a");
    expect(checkKey("A_b-c.d/e1/f.tar.gz")).toBe("A_b-c.d/e1/f.tar.gz");
    const long = `${"a".repeat(100)}/`.repeat(5) + "b".repeat(7);
    expect(long.length).toBe(512);
    expect(checkKey(long)).toBe(long);
    expect(thrown(() => checkKey(`${long}c`)).message).toBe("key: must be 1 to 512 characters");
    expect(thrown(() => checkKey("a/../b", "audio_key")).message).toMatch(/^audio_key: must be segments/);
    expect(thrown(() => checkKey("a/b..c")).kind).toBe("invalid_input"); // ".." anywhere, to be plain
    expect(thrown(() => checkKey(`a/${"x".repeat(129)}`)).kind).toBe("invalid_input"); // one segment too long
    expect(checkPrefix("episodes/x/")).toBe("episodes/x/");
    expect(thrown(() => checkPrefix("episodes/x")).message).toBe("prefix: must end with /");
  });
});

describe("ranges", () => {
  it("checks shape, then clamps the end to the size; a start at the size is unsatisfiable", () => {
    expect(checkRange({ start: 0, end: 0 })).toEqual({ start: 0, end: 0 });
    expect(clampRange({ start: 3, end: 100 }, 10)).toEqual({ start: 3, end: 9 });
    expect(thrown(() => clampRange({ start: 10, end: 12 }, 10)).message).toBe(
      "range: start must be below the size (10 bytes)",
    );
    expect(thrown(() => clampRange({ start: 0, end: 0 }, 0)).kind).toBe("invalid_input");
    for (const r of [
      { start: 2, end: 1 },
      { start: -1, end: 1 },
      { start: Number.NaN, end: 1 },
      { start: 0, end: Infinity },
    ]) {
      expect(thrown(() => checkRange(r)).message).toBe("range: must be whole numbers with 0 <= start <= end");
    }
  });

  it("slices a stream across chunk borders and releases the source once done", async () => {
    const src = Readable.from([Buffer.from("0123"), Buffer.from("4567"), Buffer.from("89ab"), Buffer.from("cdef")]);
    expect(await text(sliceStream(src, 3, 7))).toBe("3456789");
    expect(src.destroyed).toBe(true);
    expect(await text(sliceStream(Readable.from([Buffer.from("abcdef")]), 0, 1))).toBe("a");
    expect(await text(sliceStream(Readable.from([Buffer.from("abc"), Buffer.from("def")]), 3, 3))).toBe("def");
  });

  it("passes a source error on while bytes are still owed", async () => {
    const src = new Readable({ read() {} });
    const out = sliceStream(src, 0, 100);
    src.push(Buffer.from("partial"));
    src.destroy(new Error("socket hang up"));
    await expect(text(out)).rejects.toThrow("socket hang up");
  });
});

describe("content types and the configured store", () => {
  it("derives a Content-Type from the key's extension", () => {
    expect(contentTypeFor("episodes/x/audio.mp3")).toBe("audio/mpeg");
    expect(contentTypeFor("episodes/x/transcript.vtt")).toBe("text/vtt; charset=utf-8");
    expect(contentTypeFor("episodes/x/transcript.JSON")).toBe("application/json");
    expect(contentTypeFor("cache/tts/ab.pcm")).toBe("application/octet-stream");
    expect(contentTypeFor("noext")).toBe("application/octet-stream");
  });

  it("opens the data dir by default and S3 when configured", async () => {
    const file = openArtifactStore({ kind: "file" }, "/nonexistent-data-dir");
    expect(file.kind).toBe("file");
    expect(file.localPath!("episodes/a/audio.mp3")).toBe("/nonexistent-data-dir/episodes/a/audio.mp3");
    const s3 = openArtifactStore(
      {
        kind: "s3",
        s3: {
          bucket: "b",
          prefix: "",
          endpoint: "http://127.0.0.1:9",
          region: "us-east-1",
          forcePathStyle: true,
          credentials: { accessKeyId: "a", secretAccessKey: "b" },
          maxAttempts: 1,
          timeoutMs: 1000,
          partSizeBytes: 5 << 20,
        },
      },
      "/unused",
    );
    expect(s3.kind).toBe("s3");
    expect(s3.localPath).toBeUndefined();
    expect(typeof s3.presignGet).toBe("function");
    await s3.close();
  });
});
