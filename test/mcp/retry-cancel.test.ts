// Failure injected mid-pipeline, then retry_episode: the episode completes and only the turns
// that were not spoken before are sent to the TTS provider again. cancel_job on a running job
// ends it canceled within about a second. The provider is a loopback fake speaking OpenAI's wire
// format, reached by the real openai SDK inside the real worker processes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type http from "node:http";
import { startFakeServer, type FakeServer } from "../fakes/server.js";
import { fakeOpenAiSpeech } from "../fakes/openai-speech.js";
import { stopAll, tmpDataDir } from "../helpers/procs.js";
import { connectStdio, errorText, stopDaemon, structured, type StdioSession } from "../helpers/mcp.js";

let dataDir: string;
let s: StdioSession;
let fake: FakeServer;
const speech = fakeOpenAiSpeech({ apiKey: "test-key", latencyMs: 0 });
let failAfter = Infinity; // answer 400 to every synthesis request after this many
let slowMs = 0;
let seen = 0;

async function handler(req: http.IncomingMessage, body: string, res: http.ServerResponse): Promise<boolean> {
  if (req.method === "POST" && req.url?.endsWith("/audio/speech")) {
    seen++;
    if (seen > failAfter) {
      res.writeHead(400, { "content-type": "application/json" }).end(
        JSON.stringify({
          error: {
            message: "Injected failure: input rejected",
            type: "invalid_request_error",
            param: null,
            code: null,
          },
        }),
      );
      return true;
    }
    if (slowMs) await new Promise((r) => setTimeout(r, slowMs));
  }
  return speech.handler(req, body, res);
}

const SCRIPT = [1, 2, 3, 4, 5, 6].map((i) => ({
  speaker: i % 2 ? "Alice" : "Bob",
  text: `This is line number ${i} of a script about resumable work.`,
}));

async function waitStatus(
  job: string,
  want: string[],
  ms = 60_000,
): Promise<{ status: string; error_message: string | null }> {
  const end = Date.now() + ms;
  for (;;) {
    const st = structured<{ status: string; error_message: string | null }>(
      await s.client.callTool({ name: "get_job_status", arguments: { job_id: job, wait_seconds: 2 } }),
    );
    if (want.includes(st.status) || Date.now() > end) return st;
  }
}

beforeAll(async () => {
  fake = await startFakeServer(handler);
  dataDir = tmpDataDir();
  s = await connectStdio(dataDir, { OPENAI_BASE_URL: `${fake.url}/v1`, OPENAI_API_KEY: "test-key" });
  structured(
    await s.client.callTool({
      name: "save_speaker_profile",
      arguments: {
        name: "duo",
        description: "two OpenAI voices",
        tts_provider: "openai",
        tts_model: "tts-1",
        speakers: [
          { name: "Alice", voice_id: "nova", backstory: "host", personality: "warm" },
          { name: "Bob", voice_id: "onyx", backstory: "guest", personality: "dry" },
        ],
      },
    }),
  );
});

afterAll(async () => {
  await s?.close().catch(() => {});
  await stopDaemon(dataDir);
  await fake?.close();
  await stopAll();
});

describe("retry and cancel", () => {
  it("resumes a failed episode and re-synthesizes only the missing turns", async () => {
    failAfter = 3;
    seen = 0;
    const sub = structured<{ job_id: string; episode_id: string }>(
      await s.client.callTool({
        name: "generate_podcast",
        arguments: {
          episode_profile: "tech_discussion",
          speaker_profile: "duo",
          episode_name: "Resume me",
          script: SCRIPT,
        },
      }),
    );
    const failed = await waitStatus(sub.job_id, ["failed", "completed"]);
    expect(failed.status).toBe("failed");
    expect(failed.error_message).toMatch(/Injected failure/);
    const spokenBefore = speech.stats.synthesized;
    expect(spokenBefore).toBeGreaterThanOrEqual(3);
    expect(spokenBefore).toBeLessThan(SCRIPT.length);

    failAfter = Infinity;
    const retry = structured<{ job_id: string; episode_id: string }>(
      await s.client.callTool({ name: "retry_episode", arguments: { episode_id: sub.episode_id } }),
    );
    expect(retry.episode_id).toBe(sub.episode_id);
    expect((await waitStatus(retry.job_id, ["completed", "failed"])).status).toBe("completed");
    const spokenOnRetry = speech.stats.synthesized - spokenBefore;
    expect(spokenBefore + spokenOnRetry).toBe(SCRIPT.length); // every turn spoken exactly once over both runs
    const ep = JSON.parse(
      ((await s.client.readResource({ uri: `podcast://episodes/${sub.episode_id}` })).contents[0] as { text: string })
        .text,
    );
    expect(ep.transcript.map((t: { text: string }) => t.text)).toEqual(SCRIPT.map((t) => t.text));

    // a completed episode is only re-made with force
    expect(
      errorText(await s.client.callTool({ name: "retry_episode", arguments: { episode_id: sub.episode_id } })),
    ).toMatch(/force/);
  });

  it("cancels a running job within about a second", async () => {
    slowMs = 4_000;
    const sub = structured<{ job_id: string }>(
      await s.client.callTool({
        name: "generate_podcast",
        arguments: {
          episode_profile: "tech_discussion",
          speaker_profile: "duo",
          episode_name: "Cancel me",
          script: SCRIPT.map((t) => ({ ...t, text: `${t.text} Slowly.` })),
        },
      }),
    );
    expect((await waitStatus(sub.job_id, ["running"])).status).toBe("running");
    await new Promise((r) => setTimeout(r, 500)); // let it get into the speech stage
    const t0 = performance.now();
    await s.client.callTool({ name: "cancel_job", arguments: { job_id: sub.job_id } });
    const st = await waitStatus(sub.job_id, ["canceled", "failed", "completed"], 10_000);
    const ms = performance.now() - t0;
    expect(st.status).toBe("canceled");
    console.log(`cancel of a running job took ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(1_500); // "within a second", with slack for a loaded 2-core machine
    slowMs = 0;
  });
});
