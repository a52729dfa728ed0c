// The rules for profiles and episode requests, as zod schemas. The MCP tools use them as input
// schemas; the service parses again (it is called outside MCP too) and turns the first broken rule
// into AppError("invalid_input", "<field path>: <rule>") so a person sees what to fix.
import { z } from "zod";
import { AppError } from "../errors.js";
import { LLM_PROVIDERS, TTS_PROVIDERS } from "../core/enums.js";
import { idRule, recordIdPattern } from "../core/ids.js";
export const MIN_SPEAKERS = 1;
export const MAX_SPEAKERS = 4;
export const MIN_SEGMENTS = 3;
export const MAX_SEGMENTS = 20;

export const ProfileNameSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 letters, digits, _ or -");
/** BCP 47, loosely: a 2-3 letter language, then subtags of 2-8 letters/digits (en, en-US, zh-Hant-TW, es-419). */
export const LanguageSchema = z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "must be a BCP 47 language tag such as en, en-US or de");

const text = (max: number) => z.string().max(max, `must be at most ${max} characters`);

export const SpeakerSettingsSchema = z
  .object({
    speed: z.number().min(0.25, "must be at least 0.25").max(4, "must be at most 4").optional(),
    stability: z.number().min(0, "must be at least 0").max(1, "must be at most 1").optional(),
    style: z.number().min(0, "must be at least 0").max(1, "must be at most 1").optional(),
    instructions: text(1_000).optional(),
  })
  .strict();

export const SpeakerSchema = z
  .object({
    name: z.string().trim().min(1, "must not be empty").max(50, "must be at most 50 characters").describe("How the speaker is called in the script; unique in the profile, ignoring case"),
    voice_id: z
      .string()
      .trim()
      .min(1, "must not be empty")
      .max(100, "must be at most 100 characters")
      .describe("A voice of the provider: builtin slt, rms, awb; OpenAI alloy, echo, nova, onyx, …; an ElevenLabs voice id"),
    backstory: text(2_000).default(""),
    personality: text(2_000).default(""),
    tts_provider: z.enum(TTS_PROVIDERS, `must be one of ${TTS_PROVIDERS.join(", ")}`).optional(),
    tts_model: text(100).optional(),
    settings: SpeakerSettingsSchema.optional(),
  })
  .strict();

/** 1-4 speakers, names unique ignoring case (scripts match them that way), voices unique (so listeners tell them apart). */
const SpeakersSchema = z.array(SpeakerSchema).superRefine((speakers, ctx) => {
  if (speakers.length < MIN_SPEAKERS || speakers.length > MAX_SPEAKERS) {
    ctx.addIssue({ code: "custom", message: `must have ${MIN_SPEAKERS} to ${MAX_SPEAKERS} speakers (got ${speakers.length})` });
    return;
  }
  const names = new Map<string, number>();
  const voices = new Map<string, number>();
  speakers.forEach((s, i) => {
    const name = s.name.trim().toLowerCase();
    const seen = names.get(name);
    if (seen !== undefined) ctx.addIssue({ code: "custom", path: [i, "name"], message: `must be unique ignoring case ("${s.name}" is also speaker ${seen})` });
    else names.set(name, i);
    const voiceKey = `${s.tts_provider ?? ""}\u0000${s.voice_id}`;
    const seenVoice = voices.get(voiceKey);
    if (seenVoice !== undefined) ctx.addIssue({ code: "custom", path: [i, "voice_id"], message: `must be unique ("${s.voice_id}" is also the voice of speaker ${seenVoice})` });
    else voices.set(voiceKey, i);
  });
});

export const SpeakerProfileInput = z
  .object({
    name: ProfileNameSchema,
    description: text(2_000).default(""),
    tts_provider: z
      .enum(TTS_PROVIDERS, `must be one of ${TTS_PROVIDERS.join(", ")}`)
      .default("auto")
      .describe('"auto": OpenAI when OPENAI_API_KEY or OPENAI_BASE_URL is set, else the built-in offline voices'),
    tts_model: text(100).default("").describe("Empty: the provider's default model"),
    speakers: SpeakersSchema.describe("1 to 4 speakers"),
  })
  .strict();

export const EpisodeProfileInput = z
  .object({
    name: ProfileNameSchema,
    description: text(2_000).default(""),
    speaker_profile: ProfileNameSchema,
    outline_provider: z.enum(LLM_PROVIDERS, `must be one of ${LLM_PROVIDERS.join(", ")}`).default("auto"),
    outline_model: text(100).default("").describe("Empty: the writer endpoint's model (LLM_MODEL, else gpt-4o-mini)"),
    transcript_provider: z.enum(LLM_PROVIDERS, `must be one of ${LLM_PROVIDERS.join(", ")}`).default("auto"),
    transcript_model: text(100).default("").describe("Empty: the writer endpoint's model (LLM_MODEL, else gpt-4o-mini)"),
    language: LanguageSchema.default("en"),
    default_briefing: text(10_000).default(""),
    num_segments: z
      .number()
      .describe(`Outline segments (chapters), ${MIN_SEGMENTS} to ${MAX_SEGMENTS}`)
      .superRefine((n, ctx) => {
      if (!Number.isInteger(n) || n < MIN_SEGMENTS || n > MAX_SEGMENTS) {
        ctx.addIssue({ code: "custom", message: `must be a whole number from ${MIN_SEGMENTS} to ${MAX_SEGMENTS} (got ${n})` });
      }
    }),
    max_tokens: z.number().int("must be a whole number").min(256, "must be at least 256").max(200_000, "must be at most 200000").optional(),
    target_minutes: z.number().min(1, "must be at least 1").max(180, "must be at most 180").optional(),
  })
  .strict();

export type SpeakerProfileInput = z.input<typeof SpeakerProfileInput>;
export type EpisodeProfileInput = z.input<typeof EpisodeProfileInput>;

/** Sources an episode or a notebook is made from. */
export const SourceInput = z.union([
  z.object({ text: z.string(), title: text(200).optional() }).strict(),
  z.object({ file: z.string().min(1, "must not be empty").max(4096, "must be at most 4096 characters"), title: text(200).optional() }).strict(),
  z.object({ url: z.string().regex(/^https?:\/\/\S+$/i, "must be an http(s) URL"), title: text(200).optional() }).strict(),
]);
export type SourceInput = z.infer<typeof SourceInput>;

export const ScriptTurnInput = z.object({ speaker: z.string().min(1, "must not be empty").max(100), text: z.string(), segment: z.number().int().min(0).optional() }).strict();

/** What generate_podcast takes: the MCP tool's input schema and the service's, one definition. */
export const GenerateInput = z
  .object({
    episode_profile: ProfileNameSchema.optional().describe(
      "Episode profile name, e.g. tech_discussion, solo_expert, business_analysis (see list_profiles). Default: tech_discussion (PODCAST_MCP_DEFAULT_PROFILE)",
    ),
    episode_name: z
      .string()
      .trim()
      .min(1, "must not be empty")
      .max(200, "must be at most 200 characters")
      .optional()
      .describe("Title of the episode. Default: the content's first heading or first words"),
    // The length limit is checked where the content is prepared, with the figure it got.
    content: z.string().min(1, "must not be empty").optional().describe("Source text to talk about (at most 200,000 characters)"),
    notebook_id: z
      .string()
      .regex(recordIdPattern("notebook", true), "must be a notebook id like notebook:abc123, as returned by create_notebook")
      .optional()
      .describe("Use every source of this notebook as content"),
    sources: z.array(SourceInput).min(1, "must have at least one source").max(20, "must have at most 20 sources").optional().describe("Texts, local files or http(s) URLs"),
    script: z.array(ScriptTurnInput).min(1, "must have at least one turn").max(2_000, "must have at most 2,000 turns").optional().describe("A ready script: turns are spoken as given, no LLM is used"),
    speaker_profile: ProfileNameSchema.optional().describe("Overrides the episode profile's speaker profile"),
    briefing_suffix: text(4_000).optional().describe("Extra instructions appended to the profile's briefing"),
    language: LanguageSchema.optional().describe("BCP 47 tag; defaults to the episode profile's language"),
  })
  .strict()
  .superRefine((v, ctx) => {
    const given = (["content", "notebook_id", "sources", "script"] as const).filter((k) => v[k] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({
        code: "custom",
        path: [given[1] ?? "content"],
        message: `give exactly one of content, notebook_id, sources or script (got ${given.length === 0 ? "none" : given.join(", ")})`,
      });
    }
  });
export type GenerateInput = z.input<typeof GenerateInput>;

/** speakers.1.name → speakers[1].name */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : `${out ? "." : ""}${String(p)}`;
  return out || "arguments";
}

/** Parse or throw invalid_input: "<field>: <rule>" for every broken rule, field = the first one's path. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, prefix?: string): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ field: fieldPath(prefix ? [prefix, ...i.path] : i.path), message: i.message }));
  return throwIssues(issues);
}

function throwIssues(issues: { field: string; message: string }[]): never {
  const first = issues[0]!;
  throw new AppError("invalid_input", issues.map((i) => `${i.field}: ${i.message}`).join("; "), { field: first.field });
}
