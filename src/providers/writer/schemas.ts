// What a writer must return, twice over: zod schemas that check a model's reply here, and the JSON
// Schema sent to the API. The wire schema stays inside the subset every strict structured-output
// implementation accepts (all properties required, additionalProperties false, no length or count
// keywords), so the exact segment count and non-empty strings are enforced by zod on our side.
import { z } from "zod";
import type { Speaker } from "../../core/model.js";

export const SEGMENT_SIZES = ["short", "medium", "long"] as const;

/** Names of the response formats; the fake LLM server keys its default replies on them. */
export const OUTLINE_FORMAT = "podcast_outline";
export const TURNS_FORMAT = "podcast_segment_turns";

// Models often capitalise enum values ("Medium"); accepting that costs nothing and saves a retry.
const size = z.preprocess((v) => (typeof v === "string" ? v.trim().toLowerCase() : v), z.enum(SEGMENT_SIZES));

const SegmentSchema = z.object({
  name: z.string().trim().min(1, "must not be empty"),
  description: z.string().trim(),
  size,
});

export function outlineSchema(numSegments: number) {
  return z.object({
    segments: z.array(SegmentSchema).length(numSegments, `must have exactly ${numSegments} segments`),
  });
}

const RawTurnSchema = z.object({
  speaker: z.string().trim().min(1, "must not be empty"),
  text: z.string().trim().min(1, "must not be empty"),
});

export const turnsSchema = z.object({
  turns: z.array(RawTurnSchema).min(1, "must have at least one turn"),
});

/** Strip what strict mode rejects or does not need at the top level. */
function wire(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

export function outlineJsonSchema(numSegments: number): Record<string, unknown> {
  return wire(
    z.object({
      segments: z
        .array(
          z.object({
            name: z.string().describe("Short title of the segment"),
            description: z.string().describe("One or two sentences: what this segment covers"),
            size: z.enum(SEGMENT_SIZES).describe("How long the segment should be"),
          }),
        )
        .describe(`Exactly ${numSegments} segments, in the order they are spoken`),
    }),
  );
}

export function turnsJsonSchema(speakers: Speaker[]): Record<string, unknown> {
  const names = speakers.map((s) => s.name) as [string, ...string[]];
  return wire(
    z.object({
      turns: z
        .array(
          z.object({
            speaker: z.enum(names).describe("Exactly one of the speaker names"),
            text: z.string().describe("What the speaker says, as spoken words"),
          }),
        )
        .describe("The dialogue of this segment, in order"),
    }),
  );
}

/** "segments[2].size: Invalid option …" — one line per issue, paths as a person reads them. */
export function formatIssues(error: z.ZodError, max = 5): string {
  const lines = error.issues.slice(0, max).map((i) => {
    const path = i.path.reduce<string>(
      (acc, p) => (typeof p === "number" ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
      "",
    );
    return `${path || "(root)"}: ${i.message}`;
  });
  if (error.issues.length > max) lines.push(`… and ${error.issues.length - max} more`);
  return lines.join("; ");
}
