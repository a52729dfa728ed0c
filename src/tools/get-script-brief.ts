// get_script_brief: everything a model needs to write an episode's script itself, for an agent on a
// server with no LLM (the built-in writer only reads the source aloud) whose client cannot answer
// sampling. The agent writes the turns and submits them with generate_podcast's `script`, whose
// checks name the turn and the rule when one is broken, so it can fix and resubmit.
//
// The segment plan is the built-in writer's (src/providers/writer/offline-plan.ts): one segment per
// heading of the source, long sections in parts, a source without headings cut into at most the
// profile's num_segments. Nothing is written; the content is extracted as generate_podcast would.
import { z } from "zod";
import type { Speaker } from "../core/model.js";
import { DEFAULT_MAX_MINUTES, planChapters } from "../providers/writer/offline-plan.js";
import { isEnglish } from "../providers/writer/offline-writer.js";
import { outlineFromPlan } from "../providers/writer/offline-titles.js";
import { languageName, WORDS_PER_MINUTE } from "../providers/writer/prompts.js";
import { wordCount } from "../providers/writer/source-text.js";
import { MAX_CONTENT_CHARS, MAX_SCRIPT_TURNS, MAX_TURN_CHARS } from "../sources/limits.js";
import type { PreparedRequest } from "../podcasts/prepare-episode.js";
import { GenerateInput, ScriptTurnInput } from "../podcasts/validation.js";
import type { Writers } from "../sampling/writer-choice.js";
import { defineTool } from "./define.js";

/** The LLM writer's figure for an average turn (prompts.ts): 40 words, about 15 seconds. */
const TURN_WORDS = 40;
/** Without a target length: about as long as reading the source aloud, within these bounds. */
const MIN_MINUTES = 3;
/** A segment gets at least this many words: an opening or a close alone takes about as much. */
const MIN_SEGMENT_WORDS = 60;

const { script: _script, ...generateFields } = GenerateInput.shape;

export const ScriptBriefInput = z
  .object({
    ...generateFields,
    include_source: z
      .boolean()
      .default(true)
      .describe("Put the source text in the brief (false when you already have it, e.g. you passed content)"),
  })
  .strict()
  .superRefine((v, ctx) => {
    const given = (["content", "notebook_id", "sources"] as const).filter((k) => v[k] !== undefined);
    if (given.length !== 1) {
      const got = given.length === 0 ? "none" : given.join(", ");
      ctx.addIssue({
        code: "custom",
        path: [given[1] ?? "content"],
        message: `give exactly one of content, notebook_id or sources (got ${got})`,
      });
    }
  });

const Segment = z.object({
  segment: z.number().describe("The value of `segment` in this segment's turns"),
  name: z.string(),
  description: z.string(),
  headings: z.array(z.string()).describe("The source's headings this segment covers"),
  starts_with: z.string().describe("The segment's first sentence in the source"),
  source_words: z.number(),
  target_words: z.number().describe("Spoken words to write for this segment"),
  target_turns: z.number(),
});

const Brief = z.object({
  when_to_use: z.string(),
  server_writers: z
    .object({ outline: z.string(), transcript: z.string() })
    .describe("Who would write the script if you gave content"),
  episode_name: z.string(),
  episode_profile: z.string(),
  speaker_profile: z.string(),
  language: z.string(),
  language_name: z.string(),
  briefing: z.string(),
  speakers: z.array(
    z.object({ name: z.string(), role: z.enum(["host", "guest"]), backstory: z.string(), personality: z.string() }),
  ),
  target: z.object({ minutes: z.number(), words: z.number(), words_per_minute: z.number(), how: z.string() }),
  segments: z.array(Segment),
  rules: z.array(z.string()),
  script_shape: z.object({
    description: z.string(),
    json_schema: z.record(z.string(), z.unknown()),
    example: z.array(z.object({ speaker: z.string(), text: z.string(), segment: z.number() })),
  }),
  submit: z.object({
    tool: z.literal("generate_podcast"),
    arguments: z.record(z.string(), z.unknown()),
    // biome-ignore lint/suspicious/noThenProperty: a plain data field the agent reads ("then do this"); never awaited
    then: z.string(),
  }),
  source: z.object({ characters: z.number(), words: z.number(), text: z.string().optional() }),
});
export type ScriptBrief = z.infer<typeof Brief>;

const SCRIPT_SCHEMA = (() => {
  const json = z.toJSONSchema(z.array(ScriptTurnInput)) as Record<string, unknown>;
  delete json.$schema;
  return json;
})();

function rules(
  speakers: Speaker[],
  episodeName: string,
  segments: number,
  language: string,
  briefing: string,
): string[] {
  const names = speakers.map((s) => s.name);
  const [host, ...guests] = names as [string, ...string[]];
  const last = segments - 1;
  const out = [
    `Speakers: use exactly these names in "speaker": ${names.join(", ")} (case is ignored; any other name is refused).`,
    guests.length
      ? `${host} is the host and opens the episode in segment 0: welcomes the listeners, names the episode ` +
        `"${episodeName}" and introduces ${guests.join(" and ")}, who greet the listeners briefly.`
      : `${host} opens the episode in segment 0: welcomes the listeners and names the episode "${episodeName}".`,
    `${host} closes the episode at the end of segment ${last} with a short recap and a goodbye` +
      `${guests.length ? "; the guests say goodbye too" : ""}. Segments in between start with a natural ` +
      "transition: no new welcome, no goodbye.",
    "Follow the segment plan in order, one segment after another, and write about its target_words for each " +
      "(turns of a segment together, in speaking order).",
    `A turn is what one speaker says before the next one speaks: usually 1 to 4 sentences (15 to 80 words), a longer ` +
      `explanation now and then. At most ${MAX_TURN_CHARS} characters per turn (longer turns are split at sentence ` +
      `ends into several turns of the same speaker), ${MAX_SCRIPT_TURNS} turns and ${MAX_CONTENT_CHARS} characters ` +
      "in all.",
    "Only spoken words in text: every character is read aloud. No stage directions or sound effects ([laughs], " +
      '*pauses*, (music)), no markdown, no speaker labels such as "Alex:", no emoji.',
    guests.length
      ? "A conversation, not a reading: the guests ask what a listener would ask, react, disagree, give examples " +
        "and analogies; nobody speaks twice in a row; everybody takes part in every segment."
      : "A talk, not a reading: explain, give examples and analogies, sum up before moving on.",
    "Speakers use each other's names naturally (greeting, handing over, answering a point), not in every turn.",
    "Each speaker sounds like their backstory and personality.",
    "Stay true to the source: do not invent facts, figures or quotes it does not support.",
    `Write every line in ${languageName(language)}.`,
  ];
  if (briefing.trim()) out.push(`The producer's briefing: ${briefing.trim()}`);
  return out;
}

/** The brief for one checked request (pure: what previewEpisode returned, nothing else). */
export function scriptBrief(prepared: PreparedRequest & { writers: Writers }, includeSource: boolean): ScriptBrief {
  const ep = prepared.episode;
  const content = ep.content ?? "";
  const profile = ep.episode_profile;
  const speakers = ep.speaker_profile.speakers;
  const english = isEnglish(ep.language);
  const sourceWords = wordCount(content);
  const minutes =
    profile.target_minutes ??
    Math.min(DEFAULT_MAX_MINUTES, Math.max(MIN_MINUTES, Math.round(sourceWords / WORDS_PER_MINUTE)));
  const words = Math.round(minutes * WORDS_PER_MINUTE);
  // Uncapped (a target long enough for all of it), so every segment lists all the source it covers.
  const chapters = planChapters(content, {
    english,
    maxUnheaded: profile.num_segments,
    targetMinutes: sourceWords / WORDS_PER_MINUTE + 1,
  });
  // Nothing a voice could read (only code or links, say) is still something to talk about: one segment.
  const plan = chapters.length ? chapters : [{ heading: undefined, headings: [], part: 1, parts: [], sentences: [] }];
  const outline = chapters.length
    ? outlineFromPlan(plan, english, ep.name)
    : [{ name: ep.name, description: "", size: "medium" as const }];
  const planWords = plan.map((p) => p.sentences.reduce((n, s) => n + wordCount(s), 0));
  const planTotal = Math.max(
    1,
    planWords.reduce((a, b) => a + b, 0),
  );
  const segments = plan.map((p, i) => {
    const target = Math.max(MIN_SEGMENT_WORDS, Math.round((words * planWords[i]!) / planTotal));
    return {
      segment: i,
      name: outline[i]!.name,
      description: outline[i]!.description,
      headings: p.headings,
      starts_with: p.sentences[0] ?? "",
      source_words: planWords[i]!,
      target_words: target,
      target_turns: Math.max(2, Math.round(target / TURN_WORDS)),
    };
  });
  const [host, guest] = speakers;
  const example = [
    {
      speaker: host!.name,
      text: `Welcome to ${ep.name}. I'm ${host!.name}${guest ? `, and with me today is ${guest.name}` : ""}.`,
      segment: 0,
    },
    ...(guest ? [{ speaker: guest.name, text: `Thanks, ${host!.name}. Glad to be here.`, segment: 0 }] : []),
  ];
  const profileOverride =
    ep.speaker_profile.name !== profile.speaker_profile ? { speaker_profile: ep.speaker_profile.name } : {};
  return {
    when_to_use:
      "Write the script yourself when server_writers says builtin (no LLM on this server: the built-in writer only " +
      "reads the source aloud in turns) and your client does not answer MCP sampling. With an LLM (openai:…) or " +
      "sampling (client:…), generate_podcast with content writes the conversation by itself.",
    server_writers: prepared.writers,
    episode_name: ep.name,
    episode_profile: profile.name,
    speaker_profile: ep.speaker_profile.name,
    language: ep.language,
    language_name: languageName(ep.language),
    briefing: ep.briefing,
    speakers: speakers.map((s, i) => ({
      name: s.name,
      role: i === 0 ? "host" : "guest",
      backstory: s.backstory,
      personality: s.personality,
    })),
    target: {
      minutes,
      words,
      words_per_minute: WORDS_PER_MINUTE,
      how: profile.target_minutes
        ? `the profile's target_minutes (${profile.target_minutes})`
        : `about as long as reading the source aloud, ${MIN_MINUTES} to ${DEFAULT_MAX_MINUTES} minutes ` +
          "(the profile sets no target_minutes)",
    },
    segments,
    rules: rules(speakers, ep.name, segments.length, ep.language, ep.briefing),
    script_shape: {
      description:
        "generate_podcast's script: a list of turns in speaking order, each {speaker, text, segment}. segment is the " +
        "0-based segment of the plan; each segment becomes one chapter of the MP3 (named Part 1, Part 2, …).",
      json_schema: SCRIPT_SCHEMA,
      example,
    },
    submit: {
      tool: "generate_podcast",
      arguments: {
        episode_profile: profile.name,
        ...profileOverride,
        episode_name: ep.name,
        language: ep.language,
        script: "<your turns>",
      },
      // biome-ignore lint/suspicious/noThenProperty: the field above, filled in
      then:
        "The script is checked before anything is made: an error names the turn and the rule " +
        "(script[12].speaker: …); " +
        "fix those turns and call generate_podcast again. Then follow the job with get_job_status.",
    },
    source: { characters: content.length, words: sourceWords, ...(includeSource ? { text: content } : {}) },
  };
}

export const getScriptBrief = defineTool({
  name: "get_script_brief",
  title: "Brief for writing a podcast script",
  description:
    "Everything you need to write a podcast script yourself: the speakers (host and guests, backstories, " +
    "personalities), the segment plan from the source's own headings with target words per segment, the language, " +
    "the rules (who opens and closes, turn length, no stage directions) and the exact shape of generate_podcast's " +
    "script. Use it when this server has no LLM configured (server_writers says builtin: generate_podcast would only " +
    "read the source aloud in turns) and your client does not answer MCP sampling. Takes the same inputs as " +
    "generate_podcast (one of content, notebook_id or sources, and the profile); writes nothing. Then write the " +
    "turns and call generate_podcast with script.",
  input: ScriptBriefInput,
  output: Brief,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  run: async ({ include_source, ...request }, { podcasts }) =>
    scriptBrief(await podcasts.previewEpisode(request), include_source),
});
