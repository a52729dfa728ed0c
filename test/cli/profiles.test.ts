// Every seeded episode profile end to end through the CLI, as a person runs it: `podcast-mcp
// generate page.md --profile P`, a real process with the built-in writer and voices, each in its
// own data dir. The MP3 decodes, its length is the transcript's, its chapters are the transcript's
// (and hold their turns), every speaker of the profile speaks, loudness is -16 LUFS, and the
// record in the store says the same. Plus one turn of over 3,000 characters (issue 7: on Node 20
// the built-in voice crashed past ~1,000), from a source whose one paragraph is one long sentence.
//
// Run as a person's pipe would see it (no LOG_LEVEL): stdout is the MP3 path alone, stderr one
// plain line per stage. The runs start together in beforeAll, two at a time (the machine has 2
// cores), and each test waits for its own.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLimiter } from "../../src/core/resilience/limiter.js";
import { connect } from "../../src/db/index.js";
import { readChapters } from "../../src/pipeline/audio/id3.js";
import { integratedLoudness } from "../../src/pipeline/audio/loudness.js";
import { SEED_EPISODE_PROFILES, SEED_SPEAKER_PROFILES } from "../../src/podcasts/seed.js";
import { decodeMp3 } from "../audio/decode.js";
import { rms } from "../tts/pitch.js";
import { cleanEnv, ROOT, spawnCli, stopAll, tmpDataDir } from "../helpers/procs.js";

const PAGE = path.join(ROOT, "test", "fixtures", "page.md");
const STAGE_LINES = ["sources", "content", "outline", "transcript", "speech", "audio"];

interface Run {
  dataDir: string;
  code: number | null;
  stdout: string;
  stderr: string;
}

interface TranscriptFile {
  duration_seconds: number;
  chapters: { title: string; start: number; end: number }[];
  turns: { speaker: string; segment: number; start: number; end: number; text: string }[];
}

const twoAtATime = createLimiter(2);

function generate(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return twoAtATime.run(async () => {
    const dataDir = tmpDataDir();
    const p = spawnCli(["generate", ...args, "--data-dir", dataDir], cleanEnv({ LOG_LEVEL: undefined, ...env }));
    const { code } = await p.exited;
    return { dataDir, code, stdout: p.stdout(), stderr: p.stderr() };
  });
}

/** A heading and one paragraph that is one sentence of `chars` characters: the built-in writer makes it one turn. */
function longSentenceSource(chars: number): string {
  const clauses = [
    "the keeper climbed the stairs at dusk",
    "the lamp was trimmed and lit with care",
    "ships passed far out beyond the reef",
    "the log recorded every passing hour",
    "storms came in from the western sea",
  ];
  const parts: string[] = [];
  for (let i = 0; parts.join(", and ").length < chars; i++)
    parts.push(`${clauses[i % clauses.length]} on night ${i + 1}`);
  return `# One long night\n\n${parts.join(", and ")}.\n`;
}

const runs = new Map<string, Promise<Run>>();
let longRun: Promise<Run>;
let logFile: string;

beforeAll(() => {
  for (const p of SEED_EPISODE_PROFILES) runs.set(p.name, generate([PAGE, "--profile", p.name]));
  const dir = tmpDataDir();
  const file = path.join(dir, "long.md");
  writeFileSync(file, longSentenceSource(3_000));
  // With LOG_FILE the logs go there, as JSON, and stderr stays as plain as without (checkEpisode).
  logFile = path.join(dir, "generate.log");
  longRun = generate([file, "--profile", "solo_expert"], { LOG_FILE: logFile });
});

afterAll(async () => {
  // Whatever a failed test left running is stopped before the dirs go.
  await Promise.allSettled([...runs.values(), longRun]);
  await stopAll();
});

/** Everything a finished run must show; returns the transcript and decoded audio for more checks. */
async function checkEpisode(run: Run, speakers: string[]) {
  expect(run.code, run.stderr).toBe(0);
  // stdout: the MP3's absolute path and nothing else.
  expect(run.stdout).toMatch(/^[^\n]+\.mp3\n$/);
  const mp3Path = run.stdout.trim();
  expect(path.isAbsolute(mp3Path)).toBe(true);
  expect(mp3Path.startsWith(path.join(run.dataDir, "episodes") + path.sep)).toBe(true);
  expect(existsSync(mp3Path)).toBe(true);
  // stderr, not a terminal: one plain line per stage, no log lines, no carriage returns or escapes.
  expect(run.stderr).not.toMatch(/[\r\x1b]/);
  expect(run.stderr).not.toContain('"level"');
  const stages = run.stderr
    .split("\n")
    .flatMap((l) => /^(\w+): /.exec(l)?.slice(1, 2) ?? [])
    .filter((s) => STAGE_LINES.includes(s));
  expect(stages).toEqual(STAGE_LINES);
  expect(run.stderr).toMatch(/^done: \d+:\d\d of audio in /m);

  const transcript = JSON.parse(
    readFileSync(path.join(path.dirname(mp3Path), "transcript.json"), "utf8"),
  ) as TranscriptFile;
  const mp3 = readFileSync(mp3Path);
  const pcm = await decodeMp3(mp3);
  expect(pcm.errors).toBe(0);
  const seconds = pcm.samples.length / pcm.sampleRate;
  expect(Math.abs(seconds - transcript.duration_seconds)).toBeLessThanOrEqual(0.1);
  expect(Math.abs(integratedLoudness(pcm) - -16)).toBeLessThanOrEqual(0.5);

  // Turns in order inside the audio; the last one ends shortly before the end (the closing pause).
  const turns = transcript.turns;
  for (const [i, t] of turns.entries()) {
    expect(t.end).toBeGreaterThan(t.start);
    if (i > 0) expect(t.start).toBeGreaterThanOrEqual(turns[i - 1]!.end);
  }
  expect(turns.at(-1)!.end).toBeLessThanOrEqual(transcript.duration_seconds);
  expect(transcript.duration_seconds - turns.at(-1)!.end).toBeLessThan(3);
  expect(new Set(turns.map((t) => t.speaker))).toEqual(new Set(speakers));

  // The MP3's chapters are the transcript's, they tile the episode, and each holds its own turns.
  const chapters = readChapters(mp3);
  expect(chapters.map((c) => c.title)).toEqual(transcript.chapters.map((c) => c.title));
  for (const [i, c] of chapters.entries())
    expect(Math.abs(c.start - transcript.chapters[i]!.start)).toBeLessThanOrEqual(0.001);
  expect(transcript.chapters[0]!.start).toBe(0);
  expect(transcript.chapters.at(-1)!.end).toBeCloseTo(transcript.duration_seconds, 2);
  for (const t of turns) {
    const c = transcript.chapters[t.segment]!;
    expect(t.start).toBeGreaterThanOrEqual(c.start);
    expect(t.end).toBeLessThanOrEqual(c.end);
  }

  // The store says the same (the CLI has exited and released its lock).
  const db = await connect({
    url: `rocksdb://${path.join(run.dataDir, "db")}`,
    namespace: "podcast_mcp",
    database: "main",
  });
  try {
    type Row = {
      id: { id: string };
      duration: number;
      files: string;
      audio_file: string;
      chapters: { title: string }[];
      outline: { segments: { name: string }[] };
    };
    const [rows] = await db
      .query<[Row[]]>("SELECT id, duration, files, audio_file, chapters, outline FROM episode")
      .collect();
    expect(rows).toHaveLength(1);
    const ep = rows[0]!;
    expect(mp3Path).toBe(path.join(run.dataDir, "episodes", String(ep.id.id), ep.files, ep.audio_file));
    expect(ep.duration).toBeCloseTo(transcript.duration_seconds, 3);
    expect(ep.chapters.map((c) => c.title)).toEqual(transcript.chapters.map((c) => c.title));
    expect(ep.outline.segments.map((s) => s.name)).toEqual(transcript.chapters.map((c) => c.title));
  } finally {
    await db.close();
  }
  return { transcript, pcm };
}

describe(`every seeded profile through "podcast-mcp generate" (Node ${process.versions.node})`, () => {
  it.each(SEED_EPISODE_PROFILES.map((p) => [p.name, p.speaker_profile]))(
    "%s (speakers: %s)",
    { timeout: 300_000 },
    async (name, speakerProfile) => {
      const speakers = SEED_SPEAKER_PROFILES.find((s) => s.name === speakerProfile)!.speakers.map((s) => s.name);
      const { transcript } = await checkEpisode(await runs.get(name)!, speakers);
      // page.md has three headings with text: the built-in writer makes one chapter of each.
      expect(transcript.chapters.map((c) => c.title)).toEqual([
        "Lighthouses",
        "How the light works",
        "Keepers and automation",
      ]);
    },
  );

  it("a single turn of over 3,000 characters, spoken all the way through", { timeout: 300_000 }, async () => {
    const { transcript, pcm } = await checkEpisode(await longRun, ["Sam"]);
    const logs = readFileSync(logFile, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { name: string; msg: string });
    expect(logs.map((l) => l.msg)).toEqual(expect.arrayContaining(["speech: done", "pipeline: episode written"]));
    const long = transcript.turns.filter((t) => t.text.length >= 3_000);
    expect(long).toHaveLength(1);
    const turn = long[0]!;
    const words = turn.text.split(/\s+/).length;
    // 1.8–4.5 words a second is slow to brisk speech: nothing cut off, nothing stretched.
    expect(turn.end - turn.start).toBeGreaterThan(words / 4.5);
    expect(turn.end - turn.start).toBeLessThan(words / 1.8);
    // Speech all through: no 5 s of the turn is near silence (as test/tts/builtin-long.test.ts measures).
    const n = 5 * pcm.sampleRate;
    for (let at = Math.round(turn.start * pcm.sampleRate); at + n <= turn.end * pcm.sampleRate; at += n) {
      expect(rms({ samples: pcm.samples.subarray(at, at + n), sampleRate: pcm.sampleRate })).toBeGreaterThan(0.01);
    }
  });
});
