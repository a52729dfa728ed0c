// The MCP Apps player against the real server (built, over stdio, offline writer and voices):
// what a client without the UI extension sees is unchanged; the ui:// page is one self-contained
// file; and in headless Chromium, through a test host built on ext-apps' AppBridge, the frame
// follows a job (the progress bar moves), shows the player, plays, jumps by chapter and by
// transcript turn, keeps the highlighted turn on the audio's time, and retries a canceled job.
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { Frame } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { structured, useStdioSession } from "../helpers/mcp.js";
import { ARTIFACTS, CHROMIUM, openHostPage, type HostPage } from "./browser.js";

const PLAYER_URI = "ui://podcast-mcp/player.html";
const PROSE = readFileSync(path.join(import.meta.dirname, "../fixtures/prose.md"), "utf8");
const SHORT = [
  "The lighthouse keeper climbed the stairs every evening at dusk.",
  "He trimmed the wick, polished the lens and wound the clockwork that turned the light.",
  "Ships far out at sea counted the flashes to know which coast they were passing.",
  "Each lighthouse had its own rhythm, like a signature written in light.",
].join(" ");

const session = useStdioSession();

interface Episode {
  id: string;
  duration: number;
  audio_file: string;
  chapters: { title: string; start: number; end: number }[];
  transcript: { speaker: string; text: string; start: number; end: number }[];
}

async function readEpisode(id: string): Promise<Episode> {
  const r = await session.s.client.readResource({ uri: `podcast://episodes/${id}` });
  return JSON.parse((r.contents[0] as { text: string }).text) as Episode;
}

async function waitJob(jobId: string): Promise<string> {
  for (let i = 0; i < 20; i++) {
    const st = structured<{ status: string }>(
      await session.s.client.callTool({ name: "get_job_status", arguments: { job_id: jobId, wait_seconds: 30 } }),
    );
    if (st.status === "completed" || st.status === "failed" || st.status === "canceled") return st.status;
  }
  throw new Error(`job ${jobId} did not end`);
}

/** The last item that has started at t: the rule the player highlights by. */
function expectedIndex(items: { start: number }[], t: number): number {
  let found = -1;
  items.forEach((it, i) => {
    if (it.start <= t) found = i;
  });
  return found;
}

const NO_CHROMIUM = " (skipped: no Chromium; install chromium or set CHROMIUM_PATH)";
if (!CHROMIUM) console.warn(`player browser tests${NO_CHROMIUM}`);

/** An episode made in this file (by the browser test, or here when Chromium is missing). */
let finishedEpisode: string | undefined;

describe("for clients without the UI extension", () => {
  it("generate_podcast and get_episode name the player in _meta; no other tool does", async () => {
    const { tools } = await session.s.client.listTools();
    for (const name of ["generate_podcast", "get_episode"]) {
      const meta = tools.find((t) => t.name === name)?._meta as Record<string, unknown> | undefined;
      expect(meta?.ui).toEqual({ resourceUri: PLAYER_URI });
      expect(meta?.["ui/resourceUri"]).toBe(PLAYER_URI); // the legacy key ext-apps still fills for older hosts
    }
    const others = tools.filter((t) => !["generate_podcast", "get_episode"].includes(t.name));
    expect(others.length).toBeGreaterThan(5);
    for (const t of others) expect(t._meta?.ui).toBeUndefined();
  });

  it("a plain client's generate_podcast result is today's: one JSON text block, the structured content", async () => {
    const result = (await session.s.client.callTool({
      name: "generate_podcast",
      arguments: { episode_profile: "solo_expert", episode_name: "Plain client", content: SHORT },
    })) as Record<string, unknown>;
    expect(Object.keys(result).sort()).toEqual(["content", "structuredContent"]);
    const sc = result.structuredContent as Record<string, unknown>;
    expect(Object.keys(sc).sort()).toEqual([
      "episode_id",
      "episode_name",
      "episode_profile",
      "job_id",
      "message",
      "status",
    ]);
    expect(result.content).toEqual([{ type: "text", text: JSON.stringify(sc, null, 2) }]);
    expect(sc.status).toBe("submitted");
    await session.s.client.callTool({ name: "cancel_job", arguments: { job_id: sc.job_id } });
  });

  it("serves the player as one self-contained text/html;profile=mcp-app file with its CSP declared", async () => {
    const { resources } = await session.s.client.listResources();
    const listed = resources.find((r) => r.uri === PLAYER_URI);
    expect(listed?.mimeType).toBe("text/html;profile=mcp-app");
    const content = (await session.s.client.readResource({ uri: PLAYER_URI })).contents[0] as {
      mimeType: string;
      text: string;
      _meta?: { ui?: { csp?: Record<string, string[]> } };
    };
    expect(content.mimeType).toBe("text/html;profile=mcp-app");
    expect(content._meta?.ui?.csp).toEqual({ connectDomains: [], resourceDomains: [] });
    const html = content.text;
    // (Matches are reported, not the 0.5 MB page, when a check fails.)
    const found = (re: RegExp) => html.match(re)?.[0] ?? null;
    expect(html.startsWith("<!doctype html>")).toBe(true);
    // Nothing loaded from elsewhere: no external script, stylesheet, image, font or module.
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? "";
    expect(style.length).toBeGreaterThan(500);
    expect(style.match(/url\(|@import/)?.[0] ?? null).toBeNull();
    expect(found(/<script[^>]+src=|<link\b|<img\b|<iframe\b|<object\b/i)).toBeNull();
    expect(found(/\bimport\s*\(\s*["'`]|\bimport\s*["'{]|\bfrom\s*["']/)).toBeNull();
    expect(html.match(/<script\b/g)).toHaveLength(1);
    expect(html.includes('id="transcript"')).toBe(true);
    expect(html.includes("ui/initialize")).toBe(true); // ext-apps' App is inside
  });
});

describe.skipIf(!CHROMIUM)(`in headless Chromium through an AppBridge host${CHROMIUM ? "" : NO_CHROMIUM}`, () => {
  let host: HostPage | undefined;
  afterAll(async () => {
    await host?.context.close();
  });

  const state = (frame: Frame) =>
    frame.evaluate(() => {
      const el = (id: string) => document.getElementById(id)!;
      const audio = el("audio") as HTMLAudioElement;
      const turn = document.querySelector(".turn.current") as HTMLElement | null;
      const chapter = document.querySelector(".chapter.current") as HTMLElement | null;
      return {
        jobShown: !el("job").hidden,
        playerShown: !el("player").hidden,
        pct: Number(el("bar").getAttribute("aria-valuenow")),
        stage: el("stage").textContent,
        error: el("job-error").hidden ? null : el("job-error").textContent,
        retryShown: !el("retry").hidden,
        status: el("status").textContent,
        t: audio.currentTime,
        paused: audio.paused,
        readyState: audio.readyState,
        rate: audio.playbackRate,
        turn: turn ? Number(turn.dataset.index) : -1,
        chapter: chapter ? Number(chapter.dataset.index) : -1,
        overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      };
    });

  async function until<T>(
    frame: Frame,
    what: string,
    ok: (s: Awaited<ReturnType<typeof state>>) => T | false,
    ms = 30_000,
  ): Promise<T> {
    const end = Date.now() + ms;
    let last: Awaited<ReturnType<typeof state>> | undefined;
    while (Date.now() < end) {
      last = await state(frame);
      const v = ok(last);
      if (v !== false) return v;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}; last state ${JSON.stringify(last)}`);
  }

  it("follows a new episode's job, then plays it with chapters and a transcript that follows the audio", {
    timeout: 240_000,
  }, async () => {
    host = await openHostPage(session.s.client);
    const { page } = host;
    const args = { episode_profile: "tech_discussion", episode_name: "Keepers of the light", content: PROSE };
    const result = (await page.evaluate(
      (a) =>
        (window as never as { host: { run(n: string, a: unknown): Promise<unknown> } }).host.run("generate_podcast", a),
      args,
    )) as {
      structuredContent: { episode_id: string; job_id: string };
    };
    const episodeId = result.structuredContent.episode_id;
    const frame = await host.frame();

    // The job: the bar must move while it runs, then the player replaces it.
    const seen: number[] = [];
    let runningShot = false;
    const end = Date.now() + 180_000;
    for (;;) {
      const s = await state(frame);
      if (s.error) throw new Error(`the job failed in the frame: ${s.error}`);
      if (s.jobShown && seen.at(-1) !== s.pct) seen.push(s.pct);
      if (!runningShot && s.jobShown && s.pct > 0 && s.pct < 100) {
        await page.locator("#app-frame").screenshot({ path: path.join(ARTIFACTS, "player-running.png") });
        runningShot = true;
      }
      if (s.playerShown && s.readyState >= 1) break;
      if (Date.now() > end) throw new Error(`the player did not appear; last state ${JSON.stringify(s)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(runningShot).toBe(true);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]!);
    expect(seen.filter((p) => p > 0 && p < 100).length).toBeGreaterThanOrEqual(2);

    const ep = await readEpisode(episodeId);
    finishedEpisode = episodeId;
    expect(ep.chapters.length).toBeGreaterThanOrEqual(3);
    const audioDuration = await frame.evaluate(() => (document.getElementById("audio") as HTMLAudioElement).duration);
    expect(Math.abs(audioDuration - ep.duration)).toBeLessThan(0.5);
    expect(await frame.locator("#time").textContent()).toMatch(/^0:00 \/ \d+:\d\d$/);
    expect(await frame.locator(".turn").count()).toBe(ep.transcript.length);

    // Play.
    await frame.locator("#play").click();
    await until(frame, "playback", (s) => !s.paused && s.t > 0.3);
    expect(await frame.locator("#play").getAttribute("aria-label")).toBe("Pause");

    // While it plays, a chapter jumps there and becomes current (chapters last about a minute,
    // so a slow poll still finds it inside).
    const ch = ep.chapters[2]!;
    await frame.locator(".chapter").nth(2).click();
    await until(frame, "the chapter jump", (s) => s.t >= ch.start && s.t < ch.start + 20 && s.chapter === 2);

    // A transcript turn, clicked while paused: the audio goes to its start, that turn is highlighted.
    await frame.locator("#play").click();
    await until(frame, "pause", (s) => s.paused);
    const k = Math.min(ep.transcript.length - 2, 6);
    const turnStart = ep.transcript[k]!.start;
    await frame.locator(".turn").nth(k).click();
    await until(frame, "the turn jump", (s) => s.t >= turnStart && s.t < turnStart + 0.5 && s.turn === k);

    // Playing from there, the highlighted turn is the one at the audio's time, or the one before
    // it: the highlight follows timeupdate events, about 4 a second.
    await frame.locator("#play").click();
    await until(frame, "playback from the turn", (s) => !s.paused && s.t > turnStart + 0.3);
    for (let i = 0; i < 5; i++) {
      const s = await state(frame);
      expect([expectedIndex(ep.transcript, s.t), expectedIndex(ep.transcript, s.t - 1)]).toContain(s.turn);
      await new Promise((r) => setTimeout(r, 300));
    }
    // Paused, it is exactly the turn (and the chapter) at the current time.
    await frame.locator("#play").click();
    const paused = await until(frame, "pause", (s) => (s.paused ? s : false));
    expect(paused.turn).toBe(expectedIndex(ep.transcript, paused.t));
    expect(paused.chapter).toBe(expectedIndex(ep.chapters, paused.t));

    // Keyboard: → moves 5 s, Space plays and pauses.
    await frame.locator("#seek").focus();
    await page.keyboard.press("ArrowRight");
    const moved = await state(frame);
    expect(moved.t - paused.t).toBeGreaterThan(4.5);
    expect(moved.t - paused.t).toBeLessThan(5.6);
    await page.keyboard.press(" ");
    await until(frame, "play by keyboard", (s) => !s.paused);
    await page.keyboard.press(" ");
    await until(frame, "pause by keyboard", (s) => s.paused);
    // Space on the focused play button presses it once (not once as a key and once as a click).
    await frame.locator("#play").focus();
    await page.keyboard.press(" ");
    await until(frame, "play by the focused button", (s) => !s.paused);
    await new Promise((r) => setTimeout(r, 300));
    expect((await state(frame)).paused).toBe(false);
    await page.keyboard.press(" ");
    await until(frame, "pause by the focused button", (s) => s.paused);

    // Speed.
    await frame.locator('.speed[data-speed="1.5"]').click();
    expect((await state(frame)).rate).toBe(1.5);
    expect(await frame.locator('.speed[data-speed="1.5"]').getAttribute("aria-pressed")).toBe("true");
    expect(await frame.locator('.speed[data-speed="1"]').getAttribute("aria-pressed")).toBe("false");

    // The host's font variable and safe-area insets are applied.
    const look = await frame.evaluate(() => ({
      font: getComputedStyle(document.body).fontFamily,
      padBottom: getComputedStyle(document.querySelector(".app")!).paddingBottom,
    }));
    expect(look.font).toContain("DejaVu Sans");
    expect(look.padBottom).toBe("22px"); // 12 px + the host's 10 px bottom inset

    // Speakers in their colours: each of the profile's two speakers has its own colour.
    const colours = await frame.evaluate(() =>
      Array.from(document.querySelectorAll(".legend")).map((e) => getComputedStyle(e).color),
    );
    expect(colours).toHaveLength(2);
    expect(new Set(colours).size).toBe(2);

    // Download goes through the host, with the MP3's bytes.
    await frame.locator("#download").click();
    const downloads = await page
      .waitForFunction(() => (window as never as { hostLog: { downloads: unknown[] } }).hostLog.downloads.length > 0)
      .then(() =>
        page.evaluate(
          () =>
            (
              window as never as {
                hostLog: { downloads: { resource: { uri: string; mimeType: string; blob: string } }[] };
              }
            ).hostLog.downloads,
        ),
      );
    expect(downloads[0]!.resource.mimeType).toBe("audio/mpeg");
    expect(downloads[0]!.resource.uri).toBe("file:///Keepers-of-the-light.mp3");
    expect(Buffer.from(downloads[0]!.resource.blob, "base64").length).toBe(statSync(ep.audio_file).size);

    // Narrow (320 px) without sideways scrolling; the whole exchange stayed inside the host.
    expect((await state(frame)).overflow).toBeLessThanOrEqual(0);
    const log = await page.evaluate(
      () => (window as never as { hostLog: { calls: { name: string }[]; reads: string[] } }).hostLog,
    );
    expect(log.calls.filter((c) => c.name === "get_job_status").length).toBeGreaterThanOrEqual(2);
    expect(log.reads).toContain(`podcast://episodes/${episodeId}/audio/parts`);
    expect(host.frameRequests.filter((u) => !u.startsWith("data:"))).toEqual([]);
    expect(host.errors.filter((e) => /Content Security Policy|Refused/i.test(e))).toEqual([]);
    await page.locator("#app-frame").screenshot({ path: path.join(ARTIFACTS, "player-finished.png") });

    // The host switches to dark: the frame follows.
    await page.evaluate(() =>
      (window as never as { host: { setTheme(t: string): Promise<void> } }).host.setTheme("dark"),
    );
    await frame.waitForFunction(() => document.documentElement.dataset.theme === "dark");
    const bg = await frame.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).not.toBe("rgb(255, 255, 255)");
    await page.locator("#app-frame").screenshot({ path: path.join(ARTIFACTS, "player-finished-dark.png") });
  });

  it("shows a canceled job's error with Retry, and Retry resumes it to the player", {
    timeout: 180_000,
  }, async () => {
    if (!host) throw new Error("the first browser test did not open the host page");
    const { page } = host;
    // Cancel the job as soon as the host has it, before the frame can see it finish.
    const run = page.evaluate(
      (a) =>
        (
          window as never as {
            host: { run(n: string, a: unknown): Promise<{ structuredContent: { job_id: string } }> };
          }
        ).host.run("generate_podcast", a),
      { episode_profile: "solo_expert", episode_name: "Short light", content: SHORT },
    );
    const submitted = await run;
    await session.s.client.callTool({
      name: "cancel_job",
      arguments: { job_id: submitted.structuredContent.job_id },
    });
    const frame = await host.frame();
    await until(frame, "the failure", (s) => s.error !== null && s.retryShown, 60_000);
    expect((await state(frame)).error).toMatch(/cancel/i);
    await page.locator("#app-frame").screenshot({ path: path.join(ARTIFACTS, "player-failed.png") });

    await frame.locator("#retry").click();
    await until(frame, "the player after Retry", (s) => s.playerShown && s.readyState >= 1, 150_000);
    const calls = await page.evaluate(() =>
      (window as never as { hostLog: { calls: { name: string }[] } }).hostLog.calls.map((c) => c.name),
    );
    expect(calls).toContain("retry_episode");
  });

  it("get_episode of a finished episode opens straight on the player", { timeout: 60_000 }, async () => {
    if (!host || !finishedEpisode) throw new Error("the first browser test did not make an episode");
    const before = await host.page.evaluate(
      () => (window as never as { hostLog: { calls: unknown[] } }).hostLog.calls.length,
    );
    await host.page.evaluate(
      (id) =>
        (window as never as { host: { run(n: string, a: unknown): Promise<unknown> } }).host.run("get_episode", {
          episode_id: id,
          include_transcript: false,
        }),
      finishedEpisode,
    );
    const frame = await host.frame();
    await until(frame, "the player", (s) => s.playerShown && s.readyState >= 1);
    const after = await host.page.evaluate(
      () => (window as never as { hostLog: { calls: unknown[] } }).hostLog.calls.length,
    );
    expect(after).toBe(before); // no job to follow: no tool calls from the frame
  });
});

describe("audio in parts", () => {
  it("the parts' base64 joined is the whole MP3, and a bad part number is invalid input", {
    timeout: 150_000,
  }, async () => {
    if (!finishedEpisode) {
      const sc = structured<{ job_id: string; episode_id: string }>(
        await session.s.client.callTool({
          name: "generate_podcast",
          arguments: { episode_profile: "solo_expert", episode_name: "Parts", content: SHORT },
        }),
      );
      expect(await waitJob(sc.job_id)).toBe("completed");
      finishedEpisode = sc.episode_id;
    }
    const ep = await readEpisode(finishedEpisode);
    const index = JSON.parse(
      (
        (await session.s.client.readResource({ uri: `podcast://episodes/${finishedEpisode}/audio/parts` }))
          .contents[0] as { text: string }
      ).text,
    ) as {
      size: number;
      parts: number;
      uris: string[];
    };
    expect(index.size).toBe(statSync(ep.audio_file).size);
    expect(index.uris).toHaveLength(index.parts);
    const joined: string[] = [];
    for (const uri of index.uris)
      joined.push(((await session.s.client.readResource({ uri })).contents[0] as { blob: string }).blob);
    expect(Buffer.from(joined.join(""), "base64").equals(readFileSync(ep.audio_file))).toBe(true);
    for (const bad of [String(index.parts), "x", "-1"]) {
      await expect(
        session.s.client.readResource({ uri: `podcast://episodes/${finishedEpisode}/audio/parts/${bad}` }),
      ).rejects.toThrow(/part: must be a whole number/);
    }
  });
});
