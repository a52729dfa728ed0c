// The speech cache key: equal keys mean the provider would be asked for exactly the same audio,
// so a retried or re-run episode re-bills nothing already spoken. The store itself lives with the
// episode domain; only the key is defined here.
import { createHash } from "node:crypto";
import type { SpeakerSettings, SpeechRequest } from "../../core/model.js";

/** Bump when the meaning of a key changes (e.g. a provider's output format), to orphan old clips. */
const KEY_VERSION = 1;

/** JSON with sorted keys and no undefined members, so equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/**
 * sha256 (hex) of provider, model, voice, settings, language and text. The text is used as given
 * (whitespace matters to some providers); an empty settings object equals no settings. Language
 * may come as the last argument or as a `language` member of `settings` (both give the same key).
 */
export function speechCacheKey(
  provider: string,
  model: string,
  voice: string,
  settings: (SpeakerSettings & { language?: string | undefined }) | undefined,
  text: string,
  language?: string,
): string {
  const { language: inSettings, ...rest } = settings ?? {};
  const lang = (language ?? inSettings)?.toLowerCase();
  const body = canonicalJson({ v: KEY_VERSION, provider, model, voice, settings: rest, language: lang, text });
  return createHash("sha256").update(body).digest("hex");
}

/** The same key from a SpeechRequest. */
export function speechRequestKey(provider: string, req: SpeechRequest): string {
  return speechCacheKey(provider, req.model, req.voice, req.settings, req.text, req.language);
}
