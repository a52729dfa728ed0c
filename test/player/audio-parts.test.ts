// Audio parts: a multiple of 3 bytes each, so the parts' base64 joined is the file's base64.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { createDataDirStore } from "../../src/artifacts/data-dir-store.js";
import { afterAll, expect, it } from "vitest";
import { AUDIO_PART_BYTES, parsePart, partIndex, readPart } from "../../src/resources/audio-parts.js";
import { stopAll, tmpDataDir } from "../helpers/procs.js";

afterAll(stopAll);

it("splits a file into parts whose base64 joins into the whole file's", async () => {
  const dir = tmpDataDir();
  const bytes = Buffer.from(Array.from({ length: 20 }, (_, i) => (i * 37) % 256));
  writeFileSync(path.join(dir, "audio.mp3"), bytes);
  const store = createDataDirStore(dir);
  const file = { open: (range?: { start: number; end: number }) => store.open("audio.mp3", range) };
  const index = partIndex("episode:abc", bytes.length, 6);
  expect(index).toMatchObject({ episode_id: "episode:abc", size: 20, part_bytes: 6, parts: 4 });
  expect(index.uris).toEqual([0, 1, 2, 3].map((n) => `podcast://episodes/episode:abc/audio/parts/${n}`));
  const parts = await Promise.all([0, 1, 2, 3].map((n) => readPart(file, bytes.length, n, 6)));
  expect(parts.slice(0, 3).every((p) => !p.endsWith("="))).toBe(true);
  expect(Buffer.from(parts.at(-1)!, "base64")).toHaveLength(2);
  expect(parts.join("")).toBe(bytes.toString("base64"));
});

it("keeps every part's base64 under the clients' 10 MiB message limit", () => {
  expect(AUDIO_PART_BYTES % 3).toBe(0);
  expect((AUDIO_PART_BYTES / 3) * 4).toBeLessThan(10 * 1024 * 1024 - 64 * 1024); // room for the JSON-RPC envelope
  expect(partIndex("e", 0).parts).toBe(1);
  expect(partIndex("e", AUDIO_PART_BYTES).parts).toBe(1);
  expect(partIndex("e", AUDIO_PART_BYTES + 1).parts).toBe(2);
});

it("takes part numbers 0 … parts-1 only", () => {
  expect(parsePart("0", 3)).toBe(0);
  expect(parsePart("2", 3)).toBe(2);
  for (const bad of ["3", "-1", "1.5", "", "x", "1e2", "9999999999"]) {
    expect(() => parsePart(bad, 3), bad).toThrow("part: must be a whole number from 0 to 2");
  }
});
