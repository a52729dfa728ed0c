// Episode resources: the list, one episode as JSON, its transcript (Markdown, WebVTT) and its audio.
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { McpServer, ResourceTemplate, type ReadResourceResult } from "@modelcontextprotocol/server";
import type { ResourceDeps } from "./deps.js";
import { AppError } from "../errors.js";
import { completeIds, EPISODES_URI } from "./uris.js";
import { json, one } from "./util.js";

export function registerEpisodeResources(server: McpServer, deps: ResourceDeps): void {
  const { podcasts } = deps;
  // The service takes episode ids with or without the `episode:` prefix.
  const complete = { id: async (v: string) => completeIds((await podcasts.listEpisodes({ limit: 200 })).map((e) => String(e.id)), "episode", v) };
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
    async (uri, vars) => json(uri, await podcasts.getEpisode(one(vars.id))),
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
    async (uri, vars) => audioContents(uri, await podcasts.artifactPath(one(vars.id), "mp3")),
  );
}

/**
 * MCP clients refuse messages over 10 MiB (the SDKs' stdio read buffer) and may drop the
 * connection, so a long episode's MP3 (base64 grows it by a third) is not sent inline: the
 * answer says where to get it instead.
 */
export const MAX_AUDIO_BLOB_BYTES = 6 * 1024 * 1024;

export async function audioContents(uri: URL, file: string, maxBytes = MAX_AUDIO_BLOB_BYTES): Promise<ReadResourceResult> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    throw new AppError("not_found", "this episode has no audio yet: it is written when the episode completes");
  }
  if (size > maxBytes) {
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
    const text =
      `The audio is ${mb(size)} MB, more than the ${mb(maxBytes)} MB sent inside MCP messages. ` +
      `It is at ${file}; over HTTP (podcast-mcp serve --http) it is GET /episodes/${path.basename(path.dirname(file))}/audio.mp3.`;
    return { contents: [{ uri: uri.href, mimeType: "text/plain", text }] };
  }
  return { contents: [{ uri: uri.href, mimeType: "audio/mpeg", blob: (await readFile(file)).toString("base64") }] };
}

async function readArtifact(deps: ResourceDeps, id: string, kind: "md" | "vtt"): Promise<string> {
  const file = await deps.podcasts.artifactPath(id, kind);
  try {
    return await readFile(file, "utf8");
  } catch {
    throw new AppError("not_found", `episode ${id} has no ${kind === "md" ? "transcript" : "WebVTT transcript"} yet: it is written when the episode completes`);
  }
}
