import { type McpServer, ResourceTemplate } from "@modelcontextprotocol/server";
import type { ResourceDeps } from "./deps.js";
import { json, one, reading } from "./util.js";

export function registerProfileResources(server: McpServer, deps: ResourceDeps, era: "legacy" | "modern"): void {
  const names = async (kind: "episode" | "speaker") => {
    const all = await deps.podcasts.listProfiles();
    return (kind === "episode" ? all.episode_profiles : all.speaker_profiles).map((p) => String(p.name));
  };
  for (const kind of ["episode", "speaker"] as const) {
    server.registerResource(
      `${kind}-profile`,
      new ResourceTemplate(`podcast://profiles/${kind}/{name}`, {
        list: async () => ({
          resources: (await names(kind)).map((n) => ({
            uri: `podcast://profiles/${kind}/${n}`,
            name: `${kind} profile ${n}`,
            title: `${kind === "episode" ? "Episode" : "Speaker"} profile: ${n}`,
            mimeType: "application/json",
          })),
        }),
        complete: { name: async (v: string) => (await names(kind)).filter((n) => n.startsWith(v)) },
      }),
      { title: `One ${kind} profile`, mimeType: "application/json" },
      reading(era, async (uri, vars) =>
        json(
          uri,
          kind === "episode"
            ? await deps.podcasts.getEpisodeProfile(one(vars.name))
            : await deps.podcasts.getSpeakerProfile(one(vars.name)),
        ),
      ),
    );
  }
}
