// Stage 2: the outline, from the writer; or, for a ready script, one segment per script segment.
import { AppError } from "../../errors.js";
import type { Outline, ScriptWriter, Turn, WriterInput } from "../../core/model.js";
import { asCanceled } from "./cancel.js";

export async function writeOutline(writer: ScriptWriter, input: WriterInput, signal: AbortSignal): Promise<Outline> {
  let outline: Outline;
  try {
    outline = await writer.outline(input, signal);
  } catch (err) {
    throw asCanceled(err, signal, "outline");
  }
  if (!outline || !Array.isArray(outline.segments) || outline.segments.length === 0) {
    throw new AppError("provider_permanent", `outline: the writer ${writer.name} returned no segments`);
  }
  return outline;
}

/** A script's segments have no names of their own: one segment is the episode; several are "Part n". */
export function outlineForScript(turns: Turn[], episodeName: string): Outline {
  const count = turns.reduce((n, t) => Math.max(n, t.segment + 1), 1);
  const segments = Array.from({ length: count }, (_, i) => ({
    name: count === 1 ? episodeName : `Part ${i + 1}`,
    description: "",
    size: "medium" as const,
  }));
  return { segments };
}

/** An outline checkpoint is used only if it still has named segments. */
export function usableOutline(saved: unknown): Outline | undefined {
  const segments = (saved as Outline | undefined)?.segments;
  if (!Array.isArray(segments) || segments.length === 0) return undefined;
  return segments.every((s) => typeof s?.name === "string") ? (saved as Outline) : undefined;
}
