// The runner's orchestration: stage order and progress, checkpoints, the speech cache across a
// failure, cancellation, and input checks that must happen before anything is paid for. Audio is
// assembled by the real audio stage; writer and voices are small in-test implementations.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AppError } from "../../src/errors.js";
import { checkVoices, overallProgress, runPipeline, STAGES, STAGE_WEIGHTS } from "../../src/pipeline/run.js";
import { stopAll, tmpDataDir } from "../helpers/procs.js";
import {
  context,
  deps,
  failureOf,
  input,
  MemoryCheckpoints,
  MemorySpeechCache,
  ScriptedWriter,
  SPEAKERS,
  ToneEngine,
} from "./support.js";

afterAll(stopAll);

const out = () => path.join(tmpDataDir("podcast-mcp-run-"), "episode");

describe("runPipeline", () => {
  it("runs the stages in order with rising progress and writes the episode files", async () => {
    const writer = new ScriptedWriter(["Alice", "Bob"], 3, 2);
    const engine = new ToneEngine("builtin");
    const ctx = context();
    const d = deps(out(), writer, { builtin: engine });
    const r = await runPipeline(input(), ctx, d);

    // Stages in the declared order, each reaching 1; overall progress never goes back.
    const order = ctx.events.map((e) => e.stage).filter((s, i, a) => a[i - 1] !== s);
    expect(order).toEqual([...STAGES]);
    for (const s of STAGES) expect(ctx.events.filter((e) => e.stage === s).at(-1)?.fraction).toBe(1);
    const overall = ctx.events.map((e) => overallProgress(e.stage, e.fraction));
    for (let i = 1; i < overall.length; i++) expect(overall[i]).toBeGreaterThanOrEqual(overall[i - 1]!);
    expect(overall.at(-1)).toBeCloseTo(1, 10);
    // "Real" progress: one event per segment and one per turn at least.
    expect(ctx.events.filter((e) => e.stage === "transcript").length).toBeGreaterThanOrEqual(3);
    expect(ctx.events.filter((e) => e.stage === "speech" && e.fraction > 0).length).toBe(6);

    // Writers by the profile's providers/models; the language reaches the writer and the voices.
    expect(d.writerRequests).toEqual([
      ["builtin", "outline-model"],
      ["builtin", "transcript-model"],
    ]);
    expect(writer.segmentCalls).toEqual([0, 1, 2]);
    expect(new Set(writer.languages)).toEqual(new Set(["en-GB"]));
    expect(engine.calls.every((c) => c.language === "en-GB" && c.model === "tts-test")).toBe(true);
    // The running summary: empty for the first segment, then names what was covered and the last turns.
    expect(writer.befores[0]).toBe("");
    expect(writer.befores[2]).toContain("Topic 1; Topic 2");
    expect(writer.befores[2]).toContain("Bob: Segment 2, line 2.");

    expect(r.stats).toEqual({ turns: 6, synthesized: 6, cached: 0 });
    expect(r.transcript.map((t) => t.speaker)).toEqual(["Alice", "Bob", "Alice", "Bob", "Alice", "Bob"]);
    expect(engine.calls.map((c) => c.voice)).toEqual(["v1", "v2", "v1", "v2", "v1", "v2"]);
    expect(r.outline.segments.map((s) => s.name)).toEqual(["Topic 1", "Topic 2", "Topic 3"]);
    expect(r.chapters.map((c) => c.title)).toEqual(["Topic 1", "Topic 2", "Topic 3"]);
    for (let i = 1; i < r.transcript.length; i++)
      expect(r.transcript[i]!.start).toBeGreaterThanOrEqual(r.transcript[i - 1]!.end);
    expect(r.durationSeconds).toBeGreaterThan(r.transcript.at(-1)!.end - 0.01);
    for (const f of Object.values(r.files)) expect(existsSync(f)).toBe(true);
    expect(r.audioFile).toBe(r.files.mp3);
    expect(readFileSync(r.files.mp3).subarray(0, 3).toString("latin1")).toBe("ID3");
    expect(readFileSync(r.files.vtt, "utf8").startsWith("WEBVTT")).toBe(true);
    expect(r.loudness.integrated).toBeGreaterThan(-17);
    expect(r.loudness.integrated).toBeLessThan(-15);
    // Checkpoints for the text stages (the content is the input itself, never copied).
    expect([...ctx.checkpoints.data.keys()]).toEqual(expect.arrayContaining(["outline", "transcript"]));
  });

  it("a ready script skips the writer entirely, keeps its segments and the profile's spelling of names", async () => {
    const writer = new ScriptedWriter(["Alice", "Bob"]);
    const engine = new ToneEngine("builtin");
    const ctx = context();
    const r = await runPipeline(
      input({
        content: undefined,
        script: [
          { speaker: "ALICE", text: "Welcome." },
          { speaker: "bob", text: "Thanks.", segment: 0 },
          { speaker: "Alice", text: "Now the second part.", segment: 5 },
        ],
      }),
      ctx,
      deps(out(), writer, { builtin: engine }),
    );
    expect(writer.outlineCalls + writer.segmentCalls.length).toBe(0);
    expect(r.transcript.map((t) => [t.speaker, t.segment])).toEqual([
      ["Alice", 0],
      ["Bob", 0],
      ["Alice", 1],
    ]);
    expect(r.outline.segments.map((s) => s.name)).toEqual(["Part 1", "Part 2"]);
    expect(r.stats.synthesized).toBe(3);
  });

  it("a re-run with the checkpoints and the cache skips every done stage and re-bills nothing", async () => {
    const writer = new ScriptedWriter(["Alice", "Bob"], 3, 2);
    const engine = new ToneEngine("builtin");
    const cache = new MemorySpeechCache();
    const checkpoints = new MemoryCheckpoints();
    const dir = out();
    await runPipeline(input(), context(checkpoints), deps(dir, writer, { builtin: engine }, cache));
    expect(engine.calls.length).toBe(6);

    const writer2 = new ScriptedWriter(["Alice", "Bob"], 3, 2);
    const engine2 = new ToneEngine("builtin");
    const d2 = deps(dir, writer2, { builtin: engine2 }, cache);
    // Different content on the re-run: the checkpoint wins, as a retry must reproduce the episode.
    const r = await runPipeline(input({ content: "something else entirely" }), context(checkpoints), d2);
    expect(writer2.outlineCalls).toBe(0);
    expect(writer2.segmentCalls).toEqual([]);
    expect(engine2.calls.length).toBe(0);
    expect(r.stats).toEqual({ turns: 6, synthesized: 0, cached: 6 });
  });

  it("resumes from the outline checkpoint, and a transcript failure at segment k keeps segments < k", async () => {
    const writer = new ScriptedWriter(["Alice", "Bob"], 4, 2);
    writer.failSegment = 2;
    const engine = new ToneEngine("builtin");
    const checkpoints = new MemoryCheckpoints();
    const dir = out();
    const err = await failureOf(runPipeline(input(), context(checkpoints), deps(dir, writer, { builtin: engine })));
    expect(err.kind).toBe("provider_transient");
    expect(writer.segmentCalls).toEqual([0, 1, 2]);
    expect(engine.calls.length).toBe(0);
    expect(checkpoints.data.has("outline")).toBe(true);
    expect(checkpoints.data.has("transcript")).toBe(false);

    const r = await runPipeline(input(), context(checkpoints), deps(dir, writer, { builtin: engine }));
    expect(writer.outlineCalls).toBe(1); // not again
    expect(writer.segmentCalls).toEqual([0, 1, 2, 2, 3]); // only the failed and the remaining segments
    expect(r.transcript.length).toBe(8);
    expect(r.transcript.map((t) => t.segment)).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
  });

  it("a TTS failure at turn k, then a re-run, synthesizes only the turns from k on", async () => {
    const writer = new ScriptedWriter(["Alice", "Bob"], 3, 3); // 9 distinct turns
    const engine = new ToneEngine("builtin");
    const k = 4;
    engine.onCall = (n) => {
      if (n === k) throw new AppError("provider_transient", "tts: 429 Too Many Requests", { retryAfterMs: 2000 });
    };
    const cache = new MemorySpeechCache();
    const checkpoints = new MemoryCheckpoints();
    const dir = out();
    const err = await failureOf(
      runPipeline(input(), context(checkpoints), deps(dir, writer, { builtin: engine }, cache)),
    );
    expect(err.kind).toBe("provider_transient");
    expect(err.retryAfterMs).toBe(2000);
    expect(err.message).toBe('speech: turn 4/9 (Alice, builtin voice "v1"): tts: 429 Too Many Requests');
    expect(cache.clips.size).toBe(k - 1);
    expect(cache.metas[0]).toEqual({ provider: "builtin", model: "tts-test", voice: "v1" });
    expect(existsSync(path.join(dir, "audio.mp3"))).toBe(false);

    const engine2 = new ToneEngine("builtin");
    const r = await runPipeline(input(), context(checkpoints), deps(dir, writer, { builtin: engine2 }, cache));
    expect(engine2.calls.length).toBe(9 - (k - 1));
    expect(engine2.calls[0]?.text).toBe("Segment 2, line 1.");
    expect(r.stats).toEqual({ turns: 9, synthesized: 6, cached: 3 });
  });

  it("cancellation stops within one turn and is reported as canceled", async () => {
    const writer = new ScriptedWriter(["Alice", "Bob"], 3, 3);
    const engine = new ToneEngine("builtin");
    const ac = new AbortController();
    // Cancel while turn 3 is being spoken: turn 3 finishes (or is aborted), turn 4 never starts.
    engine.onCall = (n) => {
      if (n === 3) ac.abort(new Error("user canceled"));
    };
    const cache = new MemorySpeechCache();
    const err = await failureOf(
      runPipeline(
        input(),
        context(new MemoryCheckpoints(), ac.signal),
        deps(out(), writer, { builtin: engine }, cache),
      ),
    );
    expect(err.kind).toBe("canceled");
    expect(err.message).toMatch(/^canceled during speech/);
    expect(engine.calls.length).toBe(3);
    expect(cache.clips.size).toBe(2);
  });

  it("cancellation aborts a turn in flight through the signal", async () => {
    const writer = new ScriptedWriter(["Alice", "Bob"], 3, 2);
    const engine = new ToneEngine("builtin");
    engine.delayMs = 5_000;
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 150);
    const t0 = Date.now();
    const err = await failureOf(
      runPipeline(input(), context(new MemoryCheckpoints(), ac.signal), deps(out(), writer, { builtin: engine })),
    );
    expect(err.kind).toBe("canceled");
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(engine.calls.length).toBe(1);
  });

  it("an unknown speaker in a script is invalid_input before any synthesis or writing", async () => {
    const writer = new ScriptedWriter(["Alice", "Bob"]);
    const engine = new ToneEngine("builtin");
    const err = await failureOf(
      runPipeline(
        input({
          content: undefined,
          script: [
            { speaker: "Alice", text: "Hi." },
            { speaker: "Mallory", text: "Let me in." },
          ],
        }),
        context(),
        deps(out(), writer, { builtin: engine }),
      ),
    );
    expect(err.kind).toBe("invalid_input");
    expect(err.field).toBe("script[1].speaker");
    expect(err.message).toBe('script[1].speaker: must be a speaker of profile "duo" (Alice, Bob); got "Mallory"');
    expect(engine.calls.length + writer.outlineCalls).toBe(0);
  });

  it("an unknown speaker from the writer fails the transcript before any synthesis", async () => {
    const writer = new ScriptedWriter(["Alice", "Zed"], 3, 2);
    const engine = new ToneEngine("builtin");
    const err = await failureOf(runPipeline(input(), context(), deps(out(), writer, { builtin: engine })));
    expect(err.kind).toBe("provider_permanent");
    expect(err.message).toBe('transcript: segment 1 turn 2: speaker "zed" is not in profile "duo" (Alice, Bob)');
    expect(engine.calls.length).toBe(0);
  });

  it("content limits: empty and too long are invalid_input naming the field and the rule", async () => {
    const writer = new ScriptedWriter(["Alice", "Bob"]);
    const engine = new ToneEngine("builtin");
    const empty = await failureOf(
      runPipeline(input({ content: " \n " }), context(), deps(out(), writer, { builtin: engine })),
    );
    expect([empty.kind, empty.field, empty.message]).toEqual([
      "invalid_input",
      "content",
      "content: must not be empty",
    ]);
    const missing = await failureOf(
      runPipeline(input({ content: undefined }), context(), deps(out(), writer, { builtin: engine })),
    );
    expect(missing.message).toBe("content: must not be empty");
    const long = await failureOf(
      runPipeline(input({ content: "a".repeat(200_001) }), context(), deps(out(), writer, { builtin: engine })),
    );
    expect(long.message).toBe("content: must be at most 200000 characters (got 200001)");
    expect(writer.outlineCalls + engine.calls.length).toBe(0);
  });

  it("a voice the provider does not have fails before the writer is called, naming the speaker's field", async () => {
    const writer = new ScriptedWriter(["Alice", "Bob"]);
    const engine = new ToneEngine("builtin");
    const profile = { ...SPEAKERS, speakers: [SPEAKERS.speakers[0]!, { ...SPEAKERS.speakers[1]!, voice_id: "nope" }] };
    const err = await failureOf(
      runPipeline(input({ speakerProfile: profile }), context(), deps(out(), writer, { builtin: engine })),
    );
    expect([err.kind, err.field]).toEqual(["invalid_input", "speakers[1].voice_id"]);
    expect(err.message).toBe('speakers[1].voice_id: Bob: voice_id: "nope" is not a builtin voice');
    expect(writer.outlineCalls).toBe(0);
    // checkVoices alone: the same check, for the service at submission; each distinct voice asked once.
    const e2 = new ToneEngine("builtin");
    await checkVoices(
      { ...SPEAKERS, speakers: [...SPEAKERS.speakers, { ...SPEAKERS.speakers[0]!, name: "Alice2" }] },
      deps(out(), writer, { builtin: e2 }),
    );
    expect(e2.voiceChecks).toEqual(["v1", "v2"]);
  });

  it("per-speaker provider overrides route turns to their engine, each within its concurrency", async () => {
    const writer = new ScriptedWriter(["Alice", "Bob"], 3, 4); // 12 turns, 6 per speaker
    const builtin = new ToneEngine("builtin", 1);
    const openai = new ToneEngine("openai", 3, ["alloy", "v2"]);
    builtin.delayMs = 20;
    openai.delayMs = 20;
    const profile = {
      ...SPEAKERS,
      speakers: [
        SPEAKERS.speakers[0]!,
        { ...SPEAKERS.speakers[1]!, voice_id: "alloy", tts_provider: "openai" as const },
      ],
    };
    const r = await runPipeline(
      input({ speakerProfile: profile }),
      context(),
      deps(out(), writer, { builtin, openai }),
    );
    expect(builtin.calls.map((c) => c.voice)).toEqual(Array(6).fill("v1"));
    expect(openai.calls.map((c) => c.voice)).toEqual(Array(6).fill("alloy"));
    // The profile's model belongs to the profile's provider; Bob switched provider without a model.
    expect(builtin.calls[0]?.model).toBe("tts-test");
    expect(openai.calls[0]?.model).toBe("gpt-4o-mini-tts");
    expect(builtin.maxInFlight).toBe(1);
    expect(openai.maxInFlight).toBeGreaterThan(1);
    expect(openai.maxInFlight).toBeLessThanOrEqual(3);
    // Order in the episode is the script's order, whatever order the clips arrived in.
    expect(r.transcript.map((t) => t.text)).toEqual(
      r.transcript.map((_, i) => `Segment ${Math.floor(i / 4) + 1}, line ${(i % 4) + 1}.`),
    );
  });

  it("the same line said twice by the same voice is synthesized once", async () => {
    const engine = new ToneEngine("builtin");
    const r = await runPipeline(
      input({
        content: undefined,
        script: [
          { speaker: "Alice", text: "Exactly." },
          { speaker: "Bob", text: "Exactly." },
          { speaker: "Alice", text: "Exactly." },
        ],
      }),
      context(),
      deps(out(), new ScriptedWriter(["Alice"]), { builtin: engine }),
    );
    expect(engine.calls.map((c) => c.voice)).toEqual(["v1", "v2"]);
    expect(r.stats).toEqual({ turns: 3, synthesized: 2, cached: 1 });
  });
});

describe("runPipeline: damaged state", () => {
  it("an unusable transcript checkpoint is written again instead of failing in speech", async () => {
    const writer = new ScriptedWriter(["Alice", "Bob"], 2, 2);
    const engine = new ToneEngine("builtin");
    const checkpoints = new MemoryCheckpoints();
    await checkpoints.put("outline", {
      segments: [
        { name: "A", description: "", size: "short" },
        { name: "B", description: "", size: "short" },
      ],
    });
    await checkpoints.put("transcript", [{ speaker: "Mallory", text: "I was never here.", segment: 0 }]);
    const r = await runPipeline(input(), context(checkpoints), deps(out(), writer, { builtin: engine }));
    expect(writer.outlineCalls).toBe(0);
    expect(writer.segmentCalls).toEqual([0, 1]);
    expect(r.transcript.map((t) => t.speaker)).toEqual(["Alice", "Bob", "Alice", "Bob"]);
    expect(r.chapters.map((c) => c.title)).toEqual(["A", "B"]);
  });

  it("a speech cache that cannot read or write costs re-synthesis, not the episode", async () => {
    const engine = new ToneEngine("builtin");
    const broken = {
      get: async () => {
        throw new Error("EIO: read failed");
      },
      put: async () => {
        throw new Error("ENOSPC: disk full");
      },
    };
    const d = { ...deps(out(), new ScriptedWriter(["Alice", "Bob"], 1, 2), { builtin: engine }), speechCache: broken };
    const r = await runPipeline(input(), context(), d);
    expect(r.stats).toEqual({ turns: 2, synthesized: 2, cached: 0 });
    expect(existsSync(r.files.mp3)).toBe(true);
  });
});

describe("overallProgress", () => {
  it("maps stage fractions onto one rising scale that ends at 1", () => {
    expect(Object.values(STAGE_WEIGHTS).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    expect(overallProgress("content", 0)).toBe(0);
    expect(overallProgress("speech", 0)).toBeCloseTo(0.35, 10);
    expect(overallProgress("speech", 0.5)).toBeCloseTo(0.575, 10);
    expect(overallProgress("audio", 1)).toBeCloseTo(1, 10);
    expect(overallProgress("audio", 7)).toBeCloseTo(1, 10);
    expect(overallProgress("nonsense", 0.5)).toBe(0);
  });
});
