// The headline flow over stdio with no API key: generate from text, watch the job move
// pending → running → completed with rising progress, read the episode back (audio decodes,
// transcript matches), and receive resource-updated notifications from a subscription.
import { describe, expect, it } from "vitest";
import { MPEGDecoder } from "mpg123-decoder";
import { structured, useStdioSession } from "../helpers/mcp.js";

const TEXT = `The lighthouse keeper climbed the stairs every evening at dusk. He trimmed the wick, polished the lens and wound the clockwork that turned the light.
Ships far out at sea counted the flashes to know which coast they were passing. Each lighthouse had its own rhythm, like a signature written in light.
When electric lamps arrived, the keepers left one by one. Today most lights run by themselves, watched from an office many miles away.`;

const session = useStdioSession();

describe("stdio, offline", () => {
  it("lists the tools with annotations and the seeded profiles", async () => {
    const { tools } = await session.s.client.listTools();
    const names = tools.map((t) => t.name).sort();
    expect(names).toEqual(
      [
        "add_source",
        "cancel_job",
        "create_notebook",
        "delete_episode",
        "generate_podcast",
        "get_episode",
        "get_script_brief",
        "get_job_status",
        "list_episodes",
        "list_notebooks",
        "list_profiles",
        "retry_episode",
        "save_episode_profile",
        "save_speaker_profile",
      ].sort(),
    );
    const status = tools.find((t) => t.name === "get_job_status")!;
    expect(status.annotations?.readOnlyHint).toBe(true);
    expect(tools.find((t) => t.name === "delete_episode")!.annotations?.destructiveHint).toBe(true);
    expect(status.outputSchema).toBeDefined();
    const profiles = structured<{ episode_profiles: { name: string }[]; speaker_profiles: { name: string }[] }>(
      await session.s.client.callTool({ name: "list_profiles", arguments: {} }),
    );
    expect(profiles.episode_profiles.map((p) => p.name)).toEqual(
      expect.arrayContaining(["tech_discussion", "solo_expert", "business_analysis"]),
    );
    expect(profiles.speaker_profiles.map((p) => p.name)).toEqual(
      expect.arrayContaining(["tech_experts", "solo_expert", "business_panel"]),
    );
  });

  it("generates an episode end to end and reads it back", async () => {
    const updates: string[] = [];
    let listChanged = 0;
    // Every update to the subscribed job: read it, to see the status move.
    const statuses: string[] = [];
    session.s.client.setNotificationHandler("notifications/resources/updated", async (n) => {
      updates.push(n.params.uri);
      if (!n.params.uri.startsWith("podcast://jobs/")) return;
      const job = JSON.parse(
        ((await session.s.client.readResource({ uri: n.params.uri })).contents[0] as { text: string }).text,
      ) as { status: string };
      if (statuses.at(-1) !== job.status) statuses.push(job.status);
    });
    session.s.client.setNotificationHandler("notifications/resources/list_changed", () => void listChanged++);

    const t0 = performance.now();
    const submitted = structured<{ job_id: string; episode_id: string; status: string }>(
      await session.s.client.callTool({
        name: "generate_podcast",
        arguments: { episode_profile: "tech_discussion", episode_name: "Lighthouses", content: TEXT },
      }),
    );
    const submitMs = performance.now() - t0;
    expect(submitted.status).toBe("submitted");
    expect(submitted.job_id).toMatch(/^command:/);
    expect(submitMs).toBeLessThan(5_000); // returns at once, whatever the workers do (loose bound: shared CI machine)
    await session.s.client.subscribeResource({ uri: `podcast://jobs/${submitted.job_id}` });
    await session.s.client.subscribeResource({ uri: `podcast://episodes/${submitted.episode_id}` });
    const first = structured<{ status: string }>(
      await session.s.client.callTool({ name: "get_job_status", arguments: { job_id: submitted.job_id } }),
    ).status;
    expect(["pending", "running"]).toContain(first);

    // Each call holds until the status changes; while it holds, progress arrives as notifications.
    const seen: string[] = [];
    const progress: number[] = [];
    let status = "pending";
    const deadline = Date.now() + 120_000;
    while (status !== "completed" && status !== "failed" && Date.now() < deadline) {
      const st = structured<{ status: string; progress: { fraction: number } | null; error_message: string | null }>(
        await session.s.client.callTool(
          { name: "get_job_status", arguments: { job_id: submitted.job_id, wait_seconds: 30 } },
          { onprogress: (p) => void progress.push(p.progress) },
        ),
      );
      status = st.status;
      seen.push(status);
      if (status === "failed") throw new Error(`job failed: ${st.error_message}`);
    }
    expect(status).toBe("completed");
    expect(seen.at(-1)).toBe("completed");
    await new Promise((r) => setTimeout(r, 300));
    // pending → running → completed, as the subscription saw it (it may start after "pending")
    expect(statuses.filter((x) => x !== "pending")).toEqual(["running", "completed"]);
    expect(progress.length).toBeGreaterThan(3); // real progress, several stages
    for (let i = 1; i < progress.length; i++) expect(progress[i]!).toBeGreaterThanOrEqual(progress[i - 1]!);
    expect(progress.at(-1)!).toBeGreaterThan(0.5);

    const ep = JSON.parse(
      (
        (await session.s.client.readResource({ uri: `podcast://episodes/${submitted.episode_id}` })).contents[0] as {
          text: string;
        }
      ).text,
    ) as { audio_file: string; duration: number; chapters: unknown[]; transcript: { speaker: string; text: string }[] };
    expect(ep.audio_file).toMatch(/audio\.mp3$/);
    expect(ep.chapters.length).toBeGreaterThan(0);
    expect(ep.transcript.length).toBeGreaterThan(3);

    const audio = (await session.s.client.readResource({ uri: `podcast://episodes/${submitted.episode_id}/audio` }))
      .contents[0] as { blob: string; mimeType: string };
    expect(audio.mimeType).toBe("audio/mpeg");
    const decoder = new MPEGDecoder();
    await decoder.ready;
    const decoded = decoder.decode(new Uint8Array(Buffer.from(audio.blob, "base64")));
    decoder.free();
    const seconds = decoded.samplesDecoded / decoded.sampleRate;
    expect(Math.abs(seconds - ep.duration)).toBeLessThan(0.2);

    const viaTool = structured<{ audio_file: string; duration: number; transcript?: unknown }>(
      await session.s.client.callTool({
        name: "get_episode",
        arguments: { episode_id: submitted.episode_id, include_transcript: false },
      }),
    );
    expect(viaTool.audio_file).toBe(ep.audio_file);
    expect(viaTool.duration).toBe(ep.duration);
    expect(viaTool.transcript).toBeUndefined();

    const md = (
      (await session.s.client.readResource({ uri: `podcast://episodes/${submitted.episode_id}/transcript` }))
        .contents[0] as { text: string }
    ).text;
    for (const turn of ep.transcript.slice(0, 5)) expect(md).toContain(turn.text.slice(0, 40));
    expect(md).toMatch(/lighthouse/i);
    const vtt = (
      (await session.s.client.readResource({ uri: `podcast://episodes/${submitted.episode_id}/transcript.vtt` }))
        .contents[0] as { text: string }
    ).text;
    expect(vtt.startsWith("WEBVTT")).toBe(true);

    expect(updates).toContain(`podcast://jobs/${submitted.job_id}`);
    expect(updates).toContain(`podcast://episodes/${submitted.episode_id}`);
    expect(listChanged).toBeGreaterThan(0); // the new episode changed the list
  });

  it("completes ids in resource templates", async () => {
    const eps = structured<{ episodes: { id: string }[] }>(
      await session.s.client.callTool({ name: "list_episodes", arguments: {} }),
    );
    const id = eps.episodes[0]!.id;
    const res = await session.s.client.complete({
      ref: { type: "ref/resource", uri: "podcast://episodes/{id}" },
      argument: { name: "id", value: id.slice(0, 10) },
    });
    expect(res.completion.values).toContain(id);
    const templates = await session.s.client.listResourceTemplates();
    expect(templates.resourceTemplates.map((t) => t.uriTemplate)).toEqual(
      expect.arrayContaining(["podcast://episodes/{id}", "podcast://jobs/{id}", "podcast://episodes/{id}/audio"]),
    );
    const prompts = await session.s.client.listPrompts();
    expect(prompts.prompts.length).toBeGreaterThanOrEqual(2);
  });

  it("deletes an episode: its files go, the list changes, its resources are gone", async () => {
    const { existsSync } = await import("node:fs");
    const path = await import("node:path");
    let listChanged = 0;
    session.s.client.setNotificationHandler("notifications/resources/list_changed", () => void listChanged++);
    const eps = structured<{ episodes: { id: string }[] }>(
      await session.s.client.callTool({ name: "list_episodes", arguments: {} }),
    );
    const id = eps.episodes[0]!.id;
    const ep = structured<{ audio_file: string }>(
      await session.s.client.callTool({
        name: "get_episode",
        arguments: { episode_id: id, include_transcript: false },
      }),
    );
    expect(existsSync(ep.audio_file)).toBe(true);
    const del = structured<{ deleted: boolean }>(
      await session.s.client.callTool({ name: "delete_episode", arguments: { episode_id: id } }),
    );
    expect(del.deleted).toBe(true);
    expect(existsSync(path.dirname(ep.audio_file))).toBe(false);
    await expect(session.s.client.readResource({ uri: `podcast://episodes/${id}` })).rejects.toThrow(/not found/);
    await new Promise((r) => setTimeout(r, 300));
    expect(listChanged).toBeGreaterThan(0);
  });
});
