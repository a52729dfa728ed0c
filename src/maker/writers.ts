// The script writers of one run: the profile's providers as "auto" resolves for this episode (the
// submitting MCP client's model when it declared sampling and no LLM is configured), and a record
// of which writers actually wrote. The record is a checkpoint, so a run resumed after its outline
// was written still says who wrote it; the finished episode and the job's result carry it.
import type { Config } from "../config.js";
import type { LlmProviderName, Outline, ScriptWriter, Turn, WriterInput } from "../core/model.js";
import type { Logger } from "../log.js";
import type { CheckpointStore } from "../pipeline/types.js";
import { ClientWriter } from "../providers/writer/client-writer.js";
import { resolveLlmProvider } from "../providers/writer/registry.js";
import { SessionModel } from "../sampling/ask.js";
import type { SamplingRequests } from "../sampling/requests.js";
import type { SamplingSettings } from "../sampling/settings.js";
import { submitterOf } from "../sampling/submitter.js";

export const WRITER_CHECKPOINT = "writer";
/** A stage whose writer this run did not see (its checkpoint predates the record). */
const UNKNOWN = "unknown";

export interface WritersUsed {
  outline: string;
  transcript: string;
}

export interface RunWritersOptions {
  episode: { id: string; submitted_by?: unknown; script?: unknown };
  jobId: string | undefined;
  /** The writers every run of this process shares (one per provider and model). */
  shared: (provider: LlmProviderName, model: string) => ScriptWriter;
  config: Pick<Config, "llm">;
  checkpoints: CheckpointStore;
  sampling: { requests: SamplingRequests; settings: SamplingSettings };
  log: Logger;
}

export interface RunWriters {
  writer(provider: LlmProviderName, model: string): ScriptWriter;
  /** Who wrote the outline and the transcript, once the pipeline is done. */
  used(): Promise<WritersUsed>;
}

export function runWriters(o: RunWritersOptions): RunWriters {
  const by = submitterOf(o.episode.submitted_by);
  let recorded: Partial<WritersUsed> | undefined;
  const record = async (stage: keyof WritersUsed, name: string) => {
    recorded ??= (await o.checkpoints.get<Partial<WritersUsed>>(WRITER_CHECKPOINT)) ?? {};
    if (recorded[stage] === name) return;
    recorded = { ...recorded, [stage]: name };
    await o.checkpoints.put(WRITER_CHECKPOINT, recorded);
  };

  const build = (provider: LlmProviderName, model: string): ScriptWriter => {
    const resolved = resolveLlmProvider(provider, o.config, { clientSampling: by?.sampling === true });
    // "client" with no session to ask (checked at submission and retry, so only a record edited by
    // hand, or the generate CLI, gets here): the shared registry's writer says why it cannot run.
    if (resolved !== "client" || !by?.sampling) return o.shared(provider, model);
    const target = { session: by.session, job: o.jobId, episode: o.episode.id };
    const clientModel = new SessionModel({ ...o.sampling, target, client: by.client, log: o.log });
    return new ClientWriter(clientModel, o.log.child({ writer: `client:${by.client}` }));
  };

  return {
    writer(provider, model) {
      const inner = build(provider, model);
      return {
        name: inner.name,
        async outline(input: WriterInput, signal: AbortSignal): Promise<Outline> {
          const outline = await inner.outline(input, signal);
          await record("outline", inner.name);
          return outline;
        },
        async segment(
          input: WriterInput,
          outline: Outline,
          index: number,
          before: string,
          signal: AbortSignal,
        ): Promise<Turn[]> {
          const turns = await inner.segment(input, outline, index, before, signal);
          await record("transcript", inner.name);
          return turns;
        },
      };
    },
    async used() {
      if (o.episode.script !== undefined && o.episode.script !== null)
        return { outline: "script", transcript: "script" };
      const saved = recorded ?? (await o.checkpoints.get<Partial<WritersUsed>>(WRITER_CHECKPOINT)) ?? {};
      return { outline: saved.outline ?? UNKNOWN, transcript: saved.transcript ?? UNKNOWN };
    },
  };
}
