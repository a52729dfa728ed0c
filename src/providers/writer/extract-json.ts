// Pull one JSON value out of a model's reply. Compatible servers (Ollama, LM Studio, vLLM) may
// ignore response_format, and reasoning models prefix their answer with <think>…</think>, so a
// reply can be bare JSON, JSON in a ```json fence, or JSON buried in prose.

export type Extracted = { ok: true; value: unknown } | { ok: false; reason: string };

/** Remove reasoning blocks, including one left open by a reply cut short, and a stray closing tag. */
export function stripThinking(text: string): string {
  let out = text.replace(/<(think|thinking|reasoning)>[\s\S]*?<\/\1>/gi, "");
  // Some chat templates put the opening tag in the prompt, so only "…</think>" reaches us.
  const close = out.search(/<\/(think|thinking|reasoning)>/i);
  if (close >= 0) out = out.slice(out.indexOf(">", close) + 1);
  const open = out.search(/<(think|thinking|reasoning)>/i);
  if (open >= 0) out = out.slice(0, open);
  return out.trim();
}

function tryParse(text: string): { ok: true; value: unknown } | undefined {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

/** The end index (exclusive) of the balanced {...} or [...] starting at `start`, string-aware. */
function balancedEnd(text: string, start: number): number | undefined {
  const stack: string[] = [];
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === "{" || c === "[") stack.push(c === "{" ? "}" : "]");
    else if (c === "}" || c === "]") {
      if (stack.pop() !== c) return undefined;
      if (stack.length === 0) return i + 1;
    }
  }
  return undefined;
}

/** The first balanced object that parses; arrays only when no object does (a bare list of turns). */
function firstBalanced(text: string): { ok: true; value: unknown } | undefined {
  for (const opener of ["{", "["]) {
    for (let i = text.indexOf(opener); i >= 0; i = text.indexOf(opener, i + 1)) {
      const end = balancedEnd(text, i);
      if (end === undefined) continue;
      const parsed = tryParse(text.slice(i, end));
      if (parsed) return parsed;
    }
  }
  return undefined;
}

export function extractJson(reply: string): Extracted {
  const text = stripThinking(reply);
  if (!text) return { ok: false, reason: "the reply was empty (after removing any <think> block)" };
  const whole = tryParse(text);
  if (whole) return whole;
  for (const m of text.matchAll(/```[ \t]*(?:json|JSON|jsonc)?[ \t]*\r?\n([\s\S]*?)```/g)) {
    const inFence = tryParse(m[1]!.trim()) ?? firstBalanced(m[1]!);
    if (inFence) return inFence;
  }
  const found = firstBalanced(text);
  if (found) return found;
  return { ok: false, reason: "the reply held no parseable JSON object" };
}
