// Prompts an agent can offer its user: ready-made requests that end in a generate_podcast call.
import type { McpServer } from "@modelcontextprotocol/server";
import { z } from "zod";
import { registerWriteEpisodeScript } from "./write-episode-script.js";

export function registerPrompts(server: McpServer): void {
  server.registerPrompt(
    "notebook_to_episode",
    {
      title: "Turn a notebook into an episode",
      description: "Make a podcast episode from every source in a notebook",
      argsSchema: z.object({ notebook_id: z.string().describe("e.g. notebook:abc123"), profile: z.string().optional().describe("episode profile, default tech_discussion") }),
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
      argsSchema: z.object({ text: z.string().describe("the text to talk about"), name: z.string().optional().describe("episode title") }),
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
