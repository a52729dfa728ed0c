// Which writers will write an episode's script, as the server sees it when the episode is submitted
// (workers resolve "auto" again at run time, with their own config), and the rule that writer
// "client" needs a submitting client that can be asked.
import type { Config } from "../config.js";
import type { EpisodeProfile } from "../core/model.js";
import { invalidInput } from "../errors.js";
import { resolveLlmProvider } from "../providers/writer/registry.js";
import type { Submitter } from "./submitter.js";

export interface Writers {
  outline: string;
  transcript: string;
}

/** A writer's name as ScriptWriter.name spells it: "builtin", "openai:<model>", "client:<client>". */
function writerName(
  provider: EpisodeProfile["outline_provider"],
  model: string,
  config: Pick<Config, "llm">,
  by: Submitter | undefined,
): string {
  const resolved = resolveLlmProvider(provider, config, { clientSampling: by?.sampling === true });
  if (resolved === "openai") return `openai:${model}`;
  if (resolved === "client") return `client:${by?.client ?? "unknown client"}`;
  return resolved;
}

/** The writers of the outline and of the transcript; "script" for both when the caller gave the script. */
export function plannedWriters(
  profile: EpisodeProfile,
  hasScript: boolean,
  config: Pick<Config, "llm">,
  by: Submitter | undefined,
): Writers {
  if (hasScript) return { outline: "script", transcript: "script" };
  return {
    outline: writerName(profile.outline_provider, profile.outline_model, config, by),
    transcript: writerName(profile.transcript_provider, profile.transcript_model, config, by),
  };
}

/** Writer "client" with a caller that cannot be asked: invalid_input naming the profile's field. */
export function checkClientWriter(profile: EpisodeProfile, hasScript: boolean, by: Submitter | undefined): void {
  if (hasScript || by?.sampling) return;
  for (const field of ["outline_provider", "transcript_provider"] as const) {
    if (profile[field] !== "client") continue;
    throw invalidInput(
      `episode_profile.${field}`,
      `"client" asks your model through MCP sampling, and this session cannot be asked ` +
        "(the client did not declare sampling at initialize, or it speaks protocol 2026-07-28, " +
        "which has no server-to-client requests outside a call). " +
        "Write the script yourself instead: call get_script_brief, then generate_podcast with script",
    );
  }
}

/** A clause for the submit message: who writes the script and what the caller should do about it. */
export function describeWriters(w: Writers): string {
  if (w.transcript === "script") return "";
  if (w.transcript.startsWith("client:") || w.outline.startsWith("client:")) {
    return (
      " Your model writes the script through MCP sampling: answer the sampling/createMessage requests " +
      "this server sends " +
      "(one for the outline, one per segment) while the job runs."
    );
  }
  if (w.transcript === "builtin") {
    return (
      " No LLM is configured on this server and this session did not declare sampling, so the built-in " +
      "writer reads the source aloud in turns. For a real conversation, call get_script_brief, write the " +
      "script and submit it with script."
    );
  }
  return "";
}
