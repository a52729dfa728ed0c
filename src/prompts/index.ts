// Prompts an agent can offer its user: ready-made requests that end in a generate_podcast call.
// Their arguments complete (completion/complete): profile names and notebook ids come from the
// service, so a client can offer what exists instead of a blank field.
import { completable, type McpServer } from "@modelcontextprotocol/server";
import { z } from "zod";
import type { PodcastService } from "../podcasts/service.js";
import { registerWriteEpisodeScript } from "./write-episode-script.js";

export interface PromptDeps {
  podcasts: Pick<PodcastService, "listProfiles" | "listNotebooks">;
}

/** MCP allows at most 100 values in one completion answer. */
const MAX_COMPLETIONS = 100;

/** Episode profile names that start with what was typed (ignoring case), in name order. */
export async function completeProfile(deps: PromptDeps, typed: string): Promise<string[]> {
  const { episode_profiles } = await deps.podcasts.listProfiles();
  const prefix = typed.toLowerCase();
  return episode_profiles
    .map((p) => p.name)
    .filter((n) => n.toLowerCase().startsWith(prefix))
    .slice(0, MAX_COMPLETIONS);
}

/**
 * Notebook ids, newest first, whose id starts with what was typed (with or without "notebook:")
 * or whose name contains it.
 */
export async function completeNotebookId(deps: PromptDeps, typed: string): Promise<string[]> {
  const needle = typed.toLowerCase();
  const bareId = (id: string) => id.toLowerCase().replace(/^notebook:/, "");
  const key = bareId(needle);
  return (await deps.podcasts.listNotebooks())
    .filter((nb) => bareId(nb.id).startsWith(key) || nb.name.toLowerCase().includes(needle))
    .map((nb) => nb.id)
    .slice(0, MAX_COMPLETIONS);
}

export function registerPrompts(server: McpServer, deps: PromptDeps): void {
  server.registerPrompt(
    "notebook_to_episode",
    {
      title: "Turn a notebook into an episode",
      description: "Make a podcast episode from every source in a notebook",
      argsSchema: z.object({
        notebook_id: completable(z.string().describe("e.g. notebook:abc123"), (typed) =>
          completeNotebookId(deps, typed),
        ),
        profile: completable(z.string().describe("episode profile, default tech_discussion"), (typed) =>
          completeProfile(deps, typed),
        ).optional(),
      }),
    },
    ({ notebook_id, profile }) => ({
      messages: [
        {
          role: "user",
          content: {
            type: "text",
            text:
              `Make a podcast episode from notebook ${notebook_id}. Read podcast://notebooks/${notebook_id} to choose a good episode name, ` +
              `then call generate_podcast with notebook_id "${notebook_id}" and episode_profile "${profile ?? "tech_discussion"}". ` +
              `Follow the job with get_job_status (wait_seconds 30) until it completes, then give me the audio_file path and the chapter list from podcast://episodes/{episode_id}.`,
          },
        },
      ],
    }),
  );
  server.registerPrompt(
    "text_to_episode",
    {
      title: "Turn text into an episode",
      description: "Make a podcast episode about a text you paste",
      argsSchema: z.object({
        text: z.string().describe("the text to talk about"),
        name: z.string().optional().describe("episode title"),
      }),
    },
    ({ text, name }) => ({
      messages: [
        {
          role: "user",
          content: {
            type: "text",
            text:
              `Call generate_podcast with episode_profile "tech_discussion", episode_name "${name ?? "Untitled episode"}" and this content, ` +
              `then follow the job with get_job_status (wait_seconds 30) and tell me where the MP3 is when it completes.\n\n---\n${text}`,
          },
        },
      ],
    }),
  );
  registerWriteEpisodeScript(server);
}
