// A long episode's MP3 is not sent inline (clients refuse MCP messages over 10 MiB): the answer
// says where the file is instead, in every place a client can use.
import { expect, it } from "vitest";
import { audioElsewhere, MAX_AUDIO_BLOB_BYTES } from "../../src/resources/episodes.js";

it("points to large audio by every way there is to get it", () => {
  const uri = new URL("podcast://episodes/episode:abc123/audio");
  const file = {
    key: "episodes/abc123/run-a-1/audio.mp3",
    info: { size: 8 * 1024 * 1024, etag: '"x"', lastModified: new Date() },
    localPath: undefined,
    open: async () => {
      throw new Error("not read");
    },
  };
  const places = ["http://127.0.0.1:3333/episodes/abc123/audio.mp3", "/data/episodes/abc123/run-a-1/audio.mp3"];
  const big = audioElsewhere(uri, file, places).contents[0] as { mimeType: string; text: string };
  expect(big.mimeType).toBe("text/plain");
  expect(big.text).toContain("8.0 MB");
  for (const p of places) expect(big.text).toContain(p);
  const nowhere = audioElsewhere(uri, file, []).contents[0] as { text: string };
  expect(nowhere.text).toContain("serve --http");
  expect(MAX_AUDIO_BLOB_BYTES * (4 / 3)).toBeLessThan(10 * 1024 * 1024); // base64 of the limit fits the clients' buffer
});
