// A long episode's MP3 is not sent inline (clients refuse MCP messages over 10 MiB): the answer
// says where the file is instead. A short one comes as an audio/mpeg blob.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { audioContents, MAX_AUDIO_BLOB_BYTES } from "../../src/resources/episodes.js";
import { stopAll, tmpDataDir } from "../helpers/procs.js";

afterAll(stopAll);

it("sends small audio inline and points to large audio", async () => {
  const dir = path.join(tmpDataDir(), "abc123");
  const { mkdirSync } = await import("node:fs");
  mkdirSync(dir);
  const file = path.join(dir, "audio.mp3");
  writeFileSync(file, Buffer.alloc(1000, 7));
  const uri = new URL("podcast://episodes/episode:abc123/audio");
  const small = (await audioContents(uri, file)).contents[0] as { mimeType: string; blob: string };
  expect(small.mimeType).toBe("audio/mpeg");
  expect(Buffer.from(small.blob, "base64").equals(Buffer.alloc(1000, 7))).toBe(true);
  const big = (await audioContents(uri, file, 999)).contents[0] as { mimeType: string; text: string };
  expect(big.mimeType).toBe("text/plain");
  expect(big.text).toContain(file);
  expect(big.text).toContain("/episodes/abc123/audio.mp3");
  expect(MAX_AUDIO_BLOB_BYTES * (4 / 3)).toBeLessThan(10 * 1024 * 1024); // base64 of the limit fits the clients' buffer
  await expect(audioContents(uri, path.join(dir, "missing.mp3"))).rejects.toThrow(/no audio yet/);
});
