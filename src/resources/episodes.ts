// Episode resources: the list, one episode as JSON, its transcript (Markdown, WebVTT) and its audio.
import { type McpServer, ResourceTemplate, type ReadResourceResult } from "@modelcontextprotocol/server";
import type { EpisodeFile } from "../podcasts/artifacts.js";
import type { ResourceDeps } from "./deps.js";
import { completeIds, EPISODES_URI } from "./uris.js";
import { json, one, reading } from "./util.js";

/**
 * MCP clients refuse messages over 10 MiB (the SDKs' stdio read buffer) and may drop the
 * connection, so a long episode's MP3 (base64 grows it by a third) is not sent inline: the answer
 * says where to get it instead.
 */
export const MAX_AUDIO_BLOB_BYTES = 6 * 1024 * 1024;

export function registerEpisodeResources(server: McpServer, deps: ResourceDeps, era: "legacy" | "modern"): void {
  const { podcasts } = deps;
  // The service takes episode ids with or without the `episode:` prefix.
  const complete = {
    id: async (v: string) =>
      completeIds(
        (await podcasts.listEpisodes({ limit: 200 })).map((e) => String(e.id)),
        "episode",
        v,
      ),
  };
  // Names are unique (two episodes may share a title) and say what each entry is.
  const list = async () => ({
    resources: (await podcasts.listEpisodes({ limit: 100 })).map((e) => ({
      uri: `podcast://episodes/${e.id}`,
      name: `episode ${e.id}`,
      title: `Episode: ${e.name} (${e.status})`,
      mimeType: "application/json",
    })),
  });

  server.registerResource(
    "episodes",
    EPISODES_URI,
    {
      title: "All podcast episodes",
      description: "Every episode, newest first, with its status",
      mimeType: "application/json",
    },
    reading(era, async (uri) => json(uri, { episodes: await podcasts.listEpisodes({ limit: 200 }) })),
  );

  server.registerResource(
    "episode",
    new ResourceTemplate("podcast://episodes/{id}", { list, complete }),
    {
      title: "One podcast episode",
      description:
        "All fields of one episode: status, audio_file (absolute path), duration, chapters, outline, transcript",
      mimeType: "application/json",
    },
    reading(era, async (uri, vars) => json(uri, await podcasts.getEpisode(one(vars.id)))),
  );

  server.registerResource(
    "episode-transcript",
    new ResourceTemplate("podcast://episodes/{id}/transcript", { list: undefined, complete }),
    { title: "Episode transcript (Markdown)", mimeType: "text/markdown" },
    reading(era, async (uri, vars) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: "text/markdown",
          text: (await podcasts.readEpisodeFile(one(vars.id), "md")).toString("utf8"),
        },
      ],
    })),
  );

  server.registerResource(
    "episode-transcript-vtt",
    new ResourceTemplate("podcast://episodes/{id}/transcript.vtt", { list: undefined, complete }),
    { title: "Episode transcript (WebVTT)", mimeType: "text/vtt" },
    reading(era, async (uri, vars) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: "text/vtt",
          text: (await podcasts.readEpisodeFile(one(vars.id), "vtt")).toString("utf8"),
        },
      ],
    })),
  );

  server.registerResource(
    "episode-audio",
    new ResourceTemplate("podcast://episodes/{id}/audio", { list: undefined, complete }),
    { title: "Episode audio (MP3)", mimeType: "audio/mpeg" },
    reading(era, async (uri, vars) => {
      const id = one(vars.id);
      const file = await podcasts.episodeFile(id, "mp3");
      if (file.info.size <= MAX_AUDIO_BLOB_BYTES) {
        return {
          contents: [
            {
              uri: uri.href,
              mimeType: "audio/mpeg",
              blob: (await podcasts.readEpisodeFile(id, "mp3")).toString("base64"),
            },
          ],
        };
      }
      return audioElsewhere(uri, file, await whereElse(deps, id, file));
    }),
  );
}

/** Where a client can get audio too large for a message: the HTTP route, a presigned URL, the local file. */
async function whereElse(deps: ResourceDeps, id: string, file: EpisodeFile): Promise<string[]> {
  const places: string[] = [];
  const bare = id.replace(/^episode:/, "");
  if (deps.httpBaseUrl) places.push(`${deps.httpBaseUrl}/episodes/${bare}/audio.mp3${deps.httpTokenQuery ?? ""}`);
  const presigned = await deps.podcasts.presignEpisodeFile(id, "mp3", 3_600).catch(() => undefined);
  if (presigned) places.push(presigned);
  if (file.localPath) places.push(file.localPath);
  return places;
}

export function audioElsewhere(
  uri: URL,
  file: EpisodeFile,
  places: string[],
  maxBytes = MAX_AUDIO_BLOB_BYTES,
): ReadResourceResult {
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  const intro = `The audio is ${mb(file.info!.size)} MB, more than the ${mb(maxBytes)} MB sent inside MCP messages.`;
  const text = places.length
    ? `${intro} Get it at ${places.join(" or ")}.`
    : `${intro} Serve it over HTTP (podcast-mcp serve --http) and fetch /episodes/<id>/audio.mp3.`;
  return { contents: [{ uri: uri.href, mimeType: "text/plain", text }] };
}
