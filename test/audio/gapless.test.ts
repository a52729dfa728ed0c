// The MP3's Info frame (Xing "Info" + LAME tag), read back with an independent parser, and what a
// real decoder does with it: mpg123 honours it by default (gapless), and the tests state both of
// its behaviours instead of allowing slack for either.
import { afterAll, describe, expect, it } from "vitest";
import { encodeMp3 } from "../../src/pipeline/audio/mp3.js";
import { sine } from "../../src/pipeline/audio/test-signals.js";
import { countAudioFrames, readMp3Info } from "./mp3-info.js";
import { decodeMp3, ffprobe, HAS_FFPROBE, loudestAt, MPG123_DECODER_DELAY } from "./decode.js";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { stopAll, tmpDataDir } from "../helpers/procs.js";

afterAll(stopAll);

const RATE = 24_000;

/** Silence with one click at `at`: where the click comes out tells the delay exactly. */
function click(n: number, at: number) {
  const samples = new Float32Array(n);
  samples[at] = 0.9;
  return { samples, sampleRate: RATE };
}

describe("the Info frame", () => {
  it.each([24_000, 24_001, 12_345, 100_000])(
    "states the exact length of %i samples (frames × 576 − delay − padding)",
    async (n) => {
      const mp3 = await encodeMp3(click(n, 1000));
      const info = readMp3Info(mp3);
      expect(info.tag).toBe("Info"); // CBR
      expect(info.flags).toBe(0x0f);
      expect(info.encoder).toBe("LAME3.100");
      expect(info.method).toBe(1); // CBR
      expect(info.delay).toBe(576);
      expect(info.frames).toBe(countAudioFrames(mp3, info));
      expect(info.bytes).toBe(mp3.length - info.id3Bytes);
      expect(info.musicLength).toBe(info.bytes);
      expect(info.pcmSamples).toBe(n);
      expect(info.padding).toBeGreaterThanOrEqual(0);
      expect(info.tagCrc).toBe(info.tagCrcComputed);
      expect(info.musicCrc).toBe(info.musicCrcComputed);
      // CBR: the seek table is a straight line.
      expect(info.toc[0]).toBe(0);
      expect(info.toc[50]).toBe(128);
    },
  );

  it("makes mpg123 (gapless, its default) return exactly the input: same length, same click", async () => {
    const n = 50_000;
    const mp3 = await encodeMp3(click(n, 1000));
    const out = await decodeMp3(mp3, { gapless: true });
    expect(out.errors).toBe(0);
    expect(out.samples.length).toBe(n);
    expect(loudestAt(out.samples)).toBe(1000);
  });

  it("leaves a decoder that ignores it with delay + 529 samples in front and padding at the end", async () => {
    const n = 50_000;
    const mp3 = await encodeMp3(click(n, 1000));
    const info = readMp3Info(mp3);
    const out = await decodeMp3(mp3, { gapless: false });
    // The Info frame itself is not audio for mpg123 either way: frames × 576 samples come out.
    expect(out.samples.length).toBe(info.frames * info.samplesPerFrame);
    expect(loudestAt(out.samples)).toBe(1000 + info.delay + MPG123_DECODER_DELAY);
  });

  it("keeps a tone intact through the codec once aligned (SNR > 20 dB)", async () => {
    const input = sine(440, 3, RATE, 0.5);
    const out = await decodeMp3(await encodeMp3(input));
    let err = 0;
    let sig = 0;
    for (let i = 2000; i < input.samples.length - 2000; i++) {
      err += (out.samples[i]! - input.samples[i]!) ** 2;
      sig += input.samples[i]! ** 2;
    }
    expect(10 * Math.log10(sig / err)).toBeGreaterThan(20);
  });

  it("rejects a sample rate MP3 cannot carry", async () => {
    await expect(encodeMp3({ samples: new Float32Array(100), sampleRate: 23_000 })).rejects.toThrow(
      /pcm.sampleRate: MP3 supports/,
    );
  });

  const skipped = HAS_FFPROBE ? "" : "[skipped: ffprobe is not installed here] ";
  const probeName = `${skipped}ffprobe reads the exact duration without estimating it from the bitrate`;
  it.skipIf(!HAS_FFPROBE)(probeName, async () => {
    const dir = tmpDataDir("podcast-mcp-gapless-");
    const file = path.join(dir, "a.mp3");
    writeFileSync(file, await encodeMp3(click(36_000, 10)));
    const probe = ffprobe(file)!;
    expect(probe.stderr).not.toMatch(/Estimating duration from bitrate/);
    expect(probe.duration).toBeCloseTo(1.5, 3);
  });
});
