// What commands print on stderr, without a process: the live line and the lines that stay, the
// progress bar in both modes, the time left from a stage's pace, warnings in words, and which
// logger a command gets (plain words unless logs were asked for).
import { describe, expect, it } from "vitest";
import { createConsoleLogger, plainLogText } from "../../src/cli/plain-log.js";
import { createStatusLine, createStyle, fitWidth, type OutStream } from "../../src/cli/terminal.js";
import { formatClock, formatSeconds, TimeLeft } from "../../src/cli/time-left.js";
import { createProgressBar, progressText } from "../../src/maker/progress-bar.js";
import { screen } from "./screen.js";

/** A stream that records what was written; a terminal of `columns` when `tty`. */
function fakeStream(tty: boolean, columns = 60): OutStream & { text: string } {
  const s = { text: "", isTTY: tty, columns, write: (t: string) => ((s.text += t), true) };
  return s;
}

describe("the status line", () => {
  it("on a terminal: a live line redrawn in place, lines that stay printed above it", () => {
    const out = fakeStream(true);
    const line = createStatusLine(out);
    line.show("speech 10%");
    line.show("speech 20%");
    line.print("warning: something");
    line.clear();
    line.print("done");
    expect(screen(out.text)).toEqual(["warning: something", "done"]);
    // The live line was drawn again after the warning, then removed.
    expect(out.text).toBe(
      "\r\x1b[Kspeech 10%\r\x1b[Kspeech 20%\r\x1b[Kwarning: something\n\r\x1b[Kspeech 20%\r\x1b[K\r\x1b[Kdone\n",
    );
  });

  it("elsewhere: only the lines that stay, with no escape codes", () => {
    const out = fakeStream(false);
    const line = createStatusLine(out);
    line.show("speech 10%");
    line.print("warning: something");
    line.clear();
    expect(out.text).toBe("warning: something\n");
    expect(createStatusLine({ write: () => true, isTTY: true }, true).terminal).toBe(true);
    expect(createStatusLine({ write: () => true, isTTY: true }, false).terminal).toBe(false);
  });

  it("cuts a live line to the terminal's width; colours take no room and obey NO_COLOR", () => {
    expect(fitWidth("abcdefghij", 5)).toBe("abcd…");
    expect(fitWidth("\x1b[32mok\x1b[0m", 2)).toBe("\x1b[32mok\x1b[0m");
    const out = fakeStream(true, 30);
    createStatusLine(out).show("x".repeat(50));
    expect(out.text).toBe(`\r\x1b[K${"x".repeat(28)}…`); // the last column stays free
    expect(createStyle(true, {}).warn("w")).toBe("\x1b[33mw\x1b[0m");
    expect(createStyle(true, { NO_COLOR: "1" }).warn("w")).toBe("w");
    expect(createStyle(false, {}).warn("w")).toBe("w");
  });
});

describe("the progress bar", () => {
  it("not on a terminal: one plain line as each stage begins", () => {
    const out = fakeStream(false);
    const bar = createProgressBar(createStatusLine(out));
    bar.update(0, "content", "checking content");
    bar.update(0.02, "content", "120 characters");
    bar.update(0.4, "speech", "speaking 3 turns");
    for (let i = 1; i <= 3; i++) bar.update(0.4 + (0.5 * i) / 3, "speech", `spoke turn ${i}/3`);
    bar.update(0.9, "audio", "assembling the episode");
    bar.done("done: 0:30 of audio in 5 s");
    const lines = ["content: checking content", "speech: speaking 3 turns", "audio: assembling the episode"];
    expect(out.text).toBe(`${[...lines, "done: 0:30 of audio in 5 s"].join("\n")}\n`);
  });

  it("on a terminal: stage, bar, turn count and time left on one live line, at most 10 redraws a second", () => {
    const out = fakeStream(true, 200);
    let now = 0;
    const bar = createProgressBar(createStatusLine(out), () => now);
    bar.update(0.4, "speech", "speaking 10 turns");
    now = 50;
    bar.update(0.45, "speech", "spoke turn 1/10"); // 50 ms after the last draw: not drawn
    expect(screen(out.text).at(-1)).toBe(progressText("speech", 0.4, "speaking 10 turns"));
    // 5 s into speech, half of it done (0.4 → 0.65): the other half and audio (0.1) at that pace.
    now = 5_000;
    bar.update(0.65, "speech", "spoke turn 5/10");
    const shown = screen(out.text).at(-1)!;
    expect(shown).toBe("speech     [#############-------]  65%  spoke turn 5/10 · 7 s left");
    bar.done("done: 1:00 of audio in 9 s");
    expect(screen(out.text)).toEqual(["done: 1:00 of audio in 9 s"]);
  });
});

describe("time left", () => {
  it("comes from the current stage's pace, not before a second and 1 % of progress", () => {
    const t = new TimeLeft();
    t.update("outline", 0.02, 0);
    t.update("transcript", 0.1, 10); // the built-in writer: 40 % of the bar in milliseconds
    t.update("speech", 0.4, 50);
    expect(t.seconds(500)).toBeUndefined();
    t.update("speech", 0.45, 900);
    expect(t.seconds(900)).toBeUndefined(); // under a second into the stage
    t.update("speech", 0.5, 2_050); // 0.1 in 2 s: 0.5 left takes 10 s
    expect(t.seconds(2_050)).toBeCloseTo(10, 5);
    expect(t.seconds(4_050)).toBeCloseTo(8, 5); // the clock runs between updates
    expect(t.seconds(60_000)).toBe(0);
  });

  it("is written in words, and an episode's length as players show it", () => {
    expect([0.4, 45, 185, 3_720].map(formatSeconds)).toEqual(["0 s", "45 s", "3 min 05 s", "1 h 02 min"]);
    expect([59.2, 189.4, 3_723].map(formatClock)).toEqual(["0:59", "3:09", "1:02:03"]);
  });
});

describe("logs", () => {
  it("warnings and errors read as sentences, with why and the error's message", () => {
    expect(plainLogText({ level: 40, msg: "built-in voices speak English only" })).toBe(
      "warning: built-in voices speak English only",
    );
    expect(
      plainLogText({
        level: 40,
        msg: "openai speech failed; retrying",
        attempt: 2,
        delayMs: 1500,
        err: "429 Too Many Requests",
      }),
    ).toBe("warning: openai speech failed; retrying (attempt 2, next try in 1.5 s): 429 Too Many Requests");
    expect(
      plainLogText({ level: 50, msg: "worker could not start", err: { type: "Error", message: "ENOENT", stack: "…" } }),
    ).toBe("error: worker could not start: ENOENT");
    expect(plainLogText({ level: 40, msg: "a worker died; its jobs were handed back", cause: "signal SIGKILL" })).toBe(
      "warning: a worker died; its jobs were handed back (signal SIGKILL)",
    );
    expect(plainLogText({ level: 30, msg: "speech: done" })).toBeUndefined();
  });

  it("a command's logger: warnings in words unless logs were asked for; asked, JSON through the same line", () => {
    const config = { logLevel: "info" as const, logFile: undefined };
    const quiet = fakeStream(false);
    const plain = createConsoleLogger({ config, name: "t", line: createStatusLine(quiet), env: {} });
    plain.info("speech: done");
    plain.warn({ err: new Error("disk full") }, "speech cache: clip not stored");
    plain.warn("pipeline: stopped");
    expect(quiet.text).toBe("warning: speech cache: clip not stored: disk full\nwarning: pipeline: stopped\n");

    const skipped = fakeStream(false);
    const skipping = createConsoleLogger({
      config,
      name: "t",
      line: createStatusLine(skipped),
      env: {},
      skip: (r) => r.msg === "pipeline: stopped",
    });
    skipping.warn("pipeline: stopped");
    expect(skipped.text).toBe("");

    const asked = fakeStream(true);
    const line = createStatusLine(asked);
    line.show("speech 40%");
    const json = createConsoleLogger({ config, name: "t", line, env: { LOG_LEVEL: "info" } });
    json.info({ turns: 3 }, "speech: done");
    const shown = screen(asked.text);
    expect(shown).toHaveLength(2);
    expect(JSON.parse(shown[0]!)).toMatchObject({ level: 30, name: "t", turns: 3, msg: "speech: done" });
    expect(shown[1]).toBe("speech 40%"); // the live line is drawn again below the log line
  });
});
