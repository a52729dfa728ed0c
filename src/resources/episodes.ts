// Episode resources: the list, one episode as JSON, its transcript (Markdown, WebVTT) and its audio.
import { readFile } from "node:fs/promises";
import { McpServer, ResourceTemplate } from "@modelcontextprotocol/server";
import type { ToolDeps } from "../tools/deps.js";
import { AppError } from "../errors.js";
import { EPISODES_URI, withTable } from "./uris.js";
import { completeEpisodeIds, json, one } from "./util.js";

export function registerEpisodeResources(server: McpServer, deps: ToolDeps): void {
  const { podcasts } = deps;
  const complete = { id: (v: string) => completeEpisodeIds(deps, v) };
  const list = async () => ({
    resources: (await podcasts.listEpisodes({ limit: 100 })).map((e) => ({
      uri: `podcast://episodes/${e.id}`,
      name: String(e.name),
      mimeType: "application/json",
    })),
  });

  server.registerResource("episodes", EPISODES_URI, { title: "Podcast episodes", description: "Every episode, newest first", mimeType: "application/json" }, async (uri) =>
    json(uri, { episodes: await podcasts.listEpisodes({ limit: 200 }) }),
  );

  server.registerResource(
    "episode",
    new ResourceTemplate("podcast://episodes/{id}", { list, complete }),
    { title: "Podcast episode", description: "All fields of one episode: status, audio_file (absolute path), duration, chapters, outline, transcript", mimeType: "application/json" },
    async (uri, vars) => json(uri, await podcasts.getEpisode(withTable("episode", one(vars.id)))),
  );

  server.registerResource(
    "episode-transcript",
    new ResourceTemplate("podcast://episodes/{id}/transcript", { list: undefined, complete }),
    { title: "Episode transcript (Markdown)", mimeType: "text/markdown" },
    async (uri, vars) => ({ contents: [{ uri: uri.href, mimeType: "text/markdown", text: await readArtifact(deps, one(vars.id), "md") }] }),
  );

  server.registerResource(
    "episode-transcript-vtt",
    new ResourceTemplate("podcast://episodes/{id}/transcript.vtt", { list: undefined, complete }),
    { title: "Episode transcript (WebVTT)", mimeType: "text/vtt" },
    async (uri, vars) => ({ contents: [{ uri: uri.href, mimeType: "text/vtt", text: await readArtifact(deps, one(vars.id), "vtt") }] }),
  );

  server.registerResource(
    "episode-audio",
    new ResourceTemplate("podcast://episodes/{id}/audio", { list: undefined, complete }),
    { title: "Episode audio (MP3)", mimeType: "audio/mpeg" },
    async (uri, vars) => {
      const file = await podcasts.artifactPath(withTable("episode", one(vars.id)), "mp3");
      const bytes = await readFile(file);
      return { contents: [{ uri: uri.href, mimeType: "audio/mpeg", blob: bytes.toString("base64") }] };
    },
  );
}

async function readArtifact(deps: ToolDeps, id: string, kind: "md" | "vtt"): Promise<string> {
  const file = await deps.podcasts.artifactPath(withTable("episode", id), kind);
  try {
    return await readFile(file, "utf8");
  } catch {
    throw new AppError("not_found", `episode ${id} has no ${kind === "md" ? "transcript" : "WebVTT transcript"} yet: it is written when the episode completes`);
  }
}
