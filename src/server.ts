// Builds the McpServer from tools/, resources/ and prompts/. The same factory serves every era:
// stdio pins one instance per connection, HTTP makes one per request.
import { createRequire } from "node:module";
import { McpServer } from "@modelcontextprotocol/server";
import type { ToolDeps } from "./tools/deps.js";
import type { ResourceDeps } from "./resources/deps.js";
import { registerTools } from "./tools/define.js";
import { TOOLS } from "./tools/index.js";
import { registerEpisodeResources } from "./resources/episodes.js";
import { registerJobResources } from "./resources/jobs.js";
import { registerProfileResources } from "./resources/profiles.js";
import { registerNotebookResources } from "./resources/notebooks.js";
import { registerAudioPartResources } from "./resources/audio-parts.js";
import { registerPlayerResource } from "./resources/player.js";
import { registerPrompts } from "./prompts/index.js";
import type { SubscriptionHub } from "./resources/subscriptions.js";
import type { ClientSessions } from "./sampling/sessions.js";

const VERSION: string = createRequire(import.meta.url)("../package.json").version;

export const INSTRUCTIONS =
  "podcast-mcp turns text, notebooks, files and web pages into multi-speaker podcast episodes (MP3 with chapters and a timed transcript). " +
  "Call generate_podcast: it returns a job_id at once. Then call get_job_status with wait_seconds (or subscribe to podcast://jobs/{job_id}) until the status is completed, " +
  "and read podcast://episodes/{episode_id}. A failed or canceled episode resumes with retry_episode without redoing finished work.";

export type ServerDeps = ToolDeps &
  ResourceDeps & {
    /** This process's MCP sessions, for the sampling path: episodes record who submitted them. */
    sessions?: ClientSessions | undefined;
  };

export function buildMcpServer(
  deps: ServerDeps,
  hub: SubscriptionHub | undefined,
  era: "legacy" | "modern",
): McpServer {
  const server = new McpServer(
    { name: "podcast-mcp", title: "Podcast MCP", version: VERSION },
    {
      capabilities: { tools: {}, resources: { subscribe: true, listChanged: true }, prompts: {}, completions: {} },
      instructions: INSTRUCTIONS,
    },
  );
  // Tools see the service as this instance's session: what it submits records who submitted it.
  const submitter = deps.sessions?.attach(server, era);
  registerTools(server, TOOLS, submitter ? { ...deps, podcasts: deps.podcasts.forSubmitter(submitter) } : deps);
  registerEpisodeResources(server, deps, era);
  registerJobResources(server, deps, era);
  registerProfileResources(server, deps, era);
  registerNotebookResources(server, deps, era);
  registerAudioPartResources(server, deps, era);
  registerPlayerResource(server);
  registerPrompts(server, deps);
  hub?.attach(server, era);
  return server;
}
