import { defineTool } from "./define.js";
import { Submitted } from "./schemas.js";
import { PLAYER_TOOL_META } from "../player/meta.js";
import { GenerateInput } from "../podcasts/validation.js";

export const generatePodcast = defineTool({
  name: "generate_podcast",
  title: "Generate a podcast episode",
  description:
    "Start making a multi-speaker podcast episode (MP3 with chapters and a timed transcript) from text, a notebook, sources (texts, files, URLs) or a ready script. " +
    "Returns at once with a job_id and an episode_id; the work runs in the background and takes from seconds to minutes. " +
    "Follow it with get_job_status (wait_seconds lets you wait for a change) or subscribe to podcast://jobs/{job_id}. " +
    "When completed, read podcast://episodes/{episode_id} (and /transcript, /audio). " +
    "Give exactly one of content, notebook_id, sources or script. " +
    "Who writes the conversation: the server's LLM when one is configured; else your own model through MCP " +
    "sampling, if your client declares sampling (answer the sampling/createMessage requests while the job runs); " +
    "else a built-in writer that only reads the source aloud in turns. In that last case (no LLM here, no sampling) " +
    "write the script yourself: call get_script_brief, write the turns it describes and pass them as script. " +
    "The submit message, the job's result and the episode say which writer ran.",
  input: GenerateInput,
  output: Submitted,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  _meta: PLAYER_TOOL_META,
  run: (args, { podcasts }) => podcasts.submitEpisode(args),
});
