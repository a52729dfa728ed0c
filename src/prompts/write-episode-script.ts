// write_episode_script: the agent writes the conversation itself and the server speaks it. The
// route for a server with no LLM configured (its built-in writer only reads the source aloud) and a
// client that does not answer MCP sampling: brief → script → submit → follow the job.
import type { McpServer } from "@modelcontextprotocol/server";
import { z } from "zod";

const args = z.object({
  notebook_id: z.string().optional().describe("e.g. notebook:abc123 (or give text)"),
  text: z.string().optional().describe("the text to talk about, when there is no notebook"),
  episode_profile: z.string().optional().describe("episode profile, default tech_discussion"),
  episode_name: z.string().optional().describe("episode title"),
});

export function writeEpisodeScriptText(a: z.infer<typeof args>): string {
  const profile = a.episode_profile ?? "tech_discussion";
  const source = a.notebook_id
    ? `notebook_id "${a.notebook_id}"`
    : a.text
      ? "content set to the text below"
      : "the content, notebook_id or sources I point you to";
  const name = a.episode_name ? `, episode_name "${a.episode_name}"` : "";
  const steps = [
    "Make a podcast episode whose script you write yourself; the server speaks it and makes the MP3.",
    `1. Call get_script_brief with ${source}, episode_profile "${profile}"${name}.`,
    "2. Read the brief: the speakers (the host opens and closes), the segments in order with their target_words, " +
      "the rules and script_shape.",
    "3. Write the script: turns {speaker, text, segment}, segment by segment, about target_words each, following " +
      "every rule: only spoken words, names exactly as given, a real conversation that stays true to the source.",
    "4. Call generate_podcast with the brief's submit.arguments, your turns as script.",
    "5. If it answers with an error naming a turn (script[12].text: …), fix those turns and call it again.",
    "6. Follow the job with get_job_status (wait_seconds 30) until it completes, then give me the audio_file path " +
      "and the chapter list from podcast://episodes/{episode_id}.",
  ];
  return a.text && !a.notebook_id ? `${steps.join("\n")}\n\n---\n${a.text}` : steps.join("\n");
}

export function registerWriteEpisodeScript(server: McpServer): void {
  server.registerPrompt(
    "write_episode_script",
    {
      title: "Write the episode's script yourself",
      description: "Brief, script, submit: you write the conversation, the server speaks it (for a server with no LLM)",
      argsSchema: args,
    },
    (a) => ({ messages: [{ role: "user", content: { type: "text", text: writeEpisodeScriptText(a) } }] }),
  );
}
