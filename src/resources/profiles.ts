import { McpServer, ResourceTemplate } from "@modelcontextprotocol/server";
import type { ResourceDeps } from "./deps.js";
import { json, one } from "./util.js";

export function registerProfileResources(server: McpServer, deps: ResourceDeps): void {
  const names = async (kind: "episode" | "speaker") => {
    const all = await deps.podcasts.listProfiles();
    return (kind === "episode" ? all.episode_profiles : all.speaker_profiles).map((p) => String(p.name));
  };
  server.registerResource(
    "episode-profile",
    new ResourceTemplate("podcast://profiles/episode/{name}", {
      list: async () => ({ resources: (await names("episode")).map((n) => ({ uri: `podcast://profiles/episode/${n}`, name: n, mimeType: "application/json" })) }),
      complete: { name: async (v: string) => (await names("episode")).filter((n) => n.startsWith(v)) },
    }),
    { title: "Episode profile", mimeType: "application/json" },
    async (uri, vars) => json(uri, await deps.podcasts.getEpisodeProfile(one(vars.name))),
  );
  server.registerResource(
    "speaker-profile",
    new ResourceTemplate("podcast://profiles/speaker/{name}", {
      list: async () => ({ resources: (await names("speaker")).map((n) => ({ uri: `podcast://profiles/speaker/${n}`, name: n, mimeType: "application/json" })) }),
      complete: { name: async (v: string) => (await names("speaker")).filter((n) => n.startsWith(v)) },
    }),
    { title: "Speaker profile", mimeType: "application/json" },
    async (uri, vars) => json(uri, await deps.podcasts.getSpeakerProfile(one(vars.name))),
  );
}
