// The rules for profiles, notebooks and episode requests, as zod schemas. The MCP tools use them as
// input schemas (src/tools/json-schema.ts makes the JSON Schema clients see); the service parses
// again (it is called outside MCP too) and turns the first broken rule into
// AppError("invalid_input", "<field path>: <rule>") so a person sees what to fix.
import { z } from "zod";
import { AppError } from "../errors.js";
import { LLM_PROVIDERS, TTS_PROVIDERS } from "../core/enums.js";
import { recordIdPattern } from "../core/ids.js";

export const MIN_SPEAKERS = 1;
export const MAX_SPEAKERS = 4;
export const MIN_SEGMENTS = 3;
export const MAX_SEGMENTS = 20;

export const ProfileNameSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 letters, digits, _ or -");
/** BCP 47, loosely: a 2-3 letter language, then subtags of 2-8 letters/digits (en, en-US, zh-Hant-TW, es-419). */
export const LanguageSchema = z
  .string()
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "must be a BCP 47 language tag such as en, en-US or de");

// Control characters in a name end up in feed.xml, ID3 tags and file listings, where they break XML
// (U+0001 and U+FFFE are not XML characters) or hide text (ESC starts a terminal sequence). Names,
// titles and identifiers refuse every one; long texts (content, briefings, descriptions) keep only
// tab, line feed and carriage return. \p{Cc} is C0, DEL and C1; \p{Cs} under the u flag matches only
// a surrogate without its pair; U+FFFE/U+FFFF are noncharacters.
const CONTROL = /[\p{Cc}\p{Cs}\uFFFE\uFFFF]/u;
const CONTROL_BUT_LAYOUT = /(?![\t\n\r])[\p{Cc}\p{Cs}\uFFFE\uFFFF]/u;

function controlCheck(pattern: RegExp, allowed: string) {
  return (value: string, ctx: z.RefinementCtx) => {
    const at = value.search(pattern);
    if (at < 0) return;
    const code = value.codePointAt(at)!.toString(16).toUpperCase().padStart(4, "0");
    const message = `must not contain control characters${allowed} (found U+${code} at character ${at + 1})`;
    ctx.addIssue({ code: "custom", message });
  };
}
const noControl = controlCheck(CONTROL, "");
const noControlButLayout = controlCheck(CONTROL_BUT_LAYOUT, " other than tab and newline");

/** One line of text: a name, a title, an identifier. */
const line = (max: number) => z.string().max(max, `must be at most ${max} characters`).superRefine(noControl);
/** A name or title that must say something: trimmed, 1 to `max` characters, one line. */
const nameLine = (max: number) =>
  z.string().trim().min(1, "must not be empty").max(max, `must be at most ${max} characters`).superRefine(noControl);
/** Long text (descriptions, briefings, backstories): line breaks and tabs allowed, other controls not. */
const text = (max: number) => z.string().max(max, `must be at most ${max} characters`).superRefine(noControlButLayout);
/** Long text whose length limit is checked later, where the figure is known (content, turns). */
const longText = () => z.string().superRefine(noControlButLayout);

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
    name: nameLine(50).describe("How the speaker is called in the script; unique in the profile, ignoring case"),
    voice_id: nameLine(100).describe(
      "A voice of the provider: builtin slt, rms, awb; OpenAI alloy, echo, nova, onyx, …; an ElevenLabs voice id",
    ),
    backstory: text(2_000).default(""),
    personality: text(2_000).default(""),
    tts_provider: z.enum(TTS_PROVIDERS, `must be one of ${TTS_PROVIDERS.join(", ")}`).optional(),
    tts_model: line(100).optional(),
    settings: SpeakerSettingsSchema.optional(),
  })
  .strict();

const speakersRule = (issue: { input?: unknown }) =>
  `must have ${MIN_SPEAKERS} to ${MAX_SPEAKERS} speakers (got ${Array.isArray(issue.input) ? issue.input.length : 0})`;

/** 1-4 speakers, names unique ignoring case (scripts match them that way), voices unique (so listeners tell them apart). */
const SpeakersSchema = z
  .array(SpeakerSchema)
  .min(MIN_SPEAKERS, { error: speakersRule })
  .max(MAX_SPEAKERS, { error: speakersRule })
  .superRefine((speakers, ctx) => {
    if (speakers.length < MIN_SPEAKERS || speakers.length > MAX_SPEAKERS) return;
    const names = new Map<string, number>();
    const voices = new Map<string, number>();
    speakers.forEach((s, i) => {
      const name = s.name.trim().toLowerCase();
      const seen = names.get(name);
      if (seen !== undefined) {
        const message = `must be unique ignoring case ("${s.name}" is also speaker ${seen})`;
        ctx.addIssue({ code: "custom", path: [i, "name"], message });
      } else names.set(name, i);
      const voiceKey = `${s.tts_provider ?? ""}\u0000${s.voice_id}`;
      const seenVoice = voices.get(voiceKey);
      if (seenVoice !== undefined) {
        const message = `must be unique ("${s.voice_id}" is also the voice of speaker ${seenVoice})`;
        ctx.addIssue({ code: "custom", path: [i, "voice_id"], message });
      } else voices.set(voiceKey, i);
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
    tts_model: line(100).default("").describe("Empty: the provider's default model"),
    speakers: SpeakersSchema.describe("1 to 4 speakers"),
  })
  .strict();

const segmentsRule = (issue: { input?: unknown }) =>
  `must be a whole number from ${MIN_SEGMENTS} to ${MAX_SEGMENTS} (got ${JSON.stringify(issue.input)})`;

export const EpisodeProfileInput = z
  .object({
    name: ProfileNameSchema,
    description: text(2_000).default(""),
    speaker_profile: ProfileNameSchema,
    outline_provider: z.enum(LLM_PROVIDERS, `must be one of ${LLM_PROVIDERS.join(", ")}`).default("auto"),
    outline_model: line(100).default("").describe("Empty: the writer endpoint's model (LLM_MODEL, else gpt-4o-mini)"),
    transcript_provider: z.enum(LLM_PROVIDERS, `must be one of ${LLM_PROVIDERS.join(", ")}`).default("auto"),
    transcript_model: line(100)
      .default("")
      .describe("Empty: the writer endpoint's model (LLM_MODEL, else gpt-4o-mini)"),
    language: LanguageSchema.default("en"),
    default_briefing: text(10_000).default(""),
    num_segments: z
      .number()
      .int({ error: segmentsRule })
      .min(MIN_SEGMENTS, { error: segmentsRule })
      .max(MAX_SEGMENTS, { error: segmentsRule })
      .describe("Outline segments (chapters)"),
    max_tokens: z
      .number()
      .int("must be a whole number")
      .min(256, "must be at least 256")
      .max(200_000, "must be at most 200000")
      .optional(),
    target_minutes: z.number().min(1, "must be at least 1").max(180, "must be at most 180").optional(),
  })
  .strict();

export type SpeakerProfileInput = z.input<typeof SpeakerProfileInput>;
export type EpisodeProfileInput = z.input<typeof EpisodeProfileInput>;

/** A notebook: a name and what it is for. */
export const NotebookInput = z
  .object({
    name: nameLine(200),
    description: text(2_000).default(""),
  })
  .strict();

const SOURCE_KINDS = ["text", "file", "url"] as const;

/**
 * One source an episode or a notebook is made from: pasted text, a local file or a web page. One
 * object with exactly one of text, file or url (not a union of three objects): `anyOf` is refused
 * by older Gemini function declarations and shown as `any` by some clients. What comes out is the
 * one kind that was given, so code downstream tells them apart with `"text" in s`.
 */
export const SourceInput = z
  .object({
    text: longText().optional().describe("Pasted text or markdown"),
    file: line(4096)
      .min(1, "must not be empty")
      .optional()
      .describe("A local file: .txt, .md, .html, .pdf, .docx, .epub"),
    // Written out rather than with the i flag: a JSON Schema pattern carries no flags.
    url: z
      .string()
      .regex(/^[Hh][Tt][Tt][Pp][Ss]?:\/\/\S+$/, "must be an http(s) URL")
      .superRefine(noControl)
      .optional()
      .describe("An http(s) web page"),
    title: line(200).optional().describe("Default: the source's own title"),
  })
  .strict()
  .superRefine((s, ctx) => {
    const given = SOURCE_KINDS.filter((k) => s[k] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({
        code: "custom",
        path: given.length === 0 ? [] : [given[1]!],
        message: `give exactly one of text, file or url (got ${given.length === 0 ? "none" : given.join(", ")})`,
      });
    }
  })
  .transform((s): SourceChoice => {
    const title = s.title === undefined ? {} : { title: s.title };
    if (s.text !== undefined) return { text: s.text, ...title };
    if (s.file !== undefined) return { file: s.file, ...title };
    return { url: s.url!, ...title };
  })
  .describe("Exactly one of text, file or url, and an optional title");
type SourceChoice = ({ text: string } | { file: string } | { url: string }) & { title?: string };
export type SourceInput = z.output<typeof SourceInput>;

/** Turn indexes a script may use for its segments; src/script/prepare.ts renumbers them densely. */
export const MAX_SCRIPT_SEGMENT = 1_000;

export const ScriptTurnInput = z
  .object({
    speaker: nameLine(100).describe("A speaker name of the speaker profile"),
    text: longText().describe("What the speaker says"),
    segment: z
      .number()
      .int("must be a whole number")
      .min(0, "must be at least 0")
      .max(MAX_SCRIPT_SEGMENT, `must be at most ${MAX_SCRIPT_SEGMENT}`)
      .optional()
      .describe("Chapter of the turn, counted from 0; turns of one segment form one chapter"),
  })
  .strict();

/** What generate_podcast takes: the MCP tool's input schema and the service's, one definition. */
export const GenerateInput = z
  .object({
    episode_profile: ProfileNameSchema.optional().describe(
      "Episode profile name, e.g. tech_discussion, solo_expert, business_analysis (see list_profiles). Default: tech_discussion (PODCAST_MCP_DEFAULT_PROFILE)",
    ),
    episode_name: nameLine(200)
      .optional()
      .describe("Title of the episode. Default: the content's first heading or first words"),
    // The length limit is checked where the content is prepared, with the figure it got.
    content: longText()
      .min(1, "must not be empty")
      .optional()
      .describe("Source text to talk about (at most 200,000 characters)"),
    notebook_id: z
      .string()
      .regex(
        recordIdPattern("notebook", true),
        "must be a notebook id like notebook:abc123, as returned by create_notebook",
      )
      .optional()
      .describe("Use every source of this notebook as content"),
    sources: z
      .array(SourceInput)
      .min(1, "must have at least one source")
      .max(20, "must have at most 20 sources")
      .optional()
      .describe("Texts, local files or http(s) URLs"),
    script: z
      .array(ScriptTurnInput)
      .min(1, "must have at least one turn")
      .max(2_000, "must have at most 2,000 turns")
      .optional()
      .describe("A ready script: turns are spoken as given, no LLM is used"),
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
  const issues = r.error.issues.map((i) => ({
    field: fieldPath(prefix ? [prefix, ...i.path] : i.path),
    message: i.message,
  }));
  return throwIssues(issues);
}

function throwIssues(issues: { field: string; message: string }[]): never {
  const first = issues[0]!;
  throw new AppError("invalid_input", issues.map((i) => `${i.field}: ${i.message}`).join("; "), { field: first.field });
}
