import type { ReadResourceResult } from "@modelcontextprotocol/server";
import type { ToolDeps } from "../tools/deps.js";
import { AppError } from "../errors.js";

export function json(uri: URL, value: unknown): ReadResourceResult {
  return { contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify(value, null, 2) }] };
}

/** URI template variables may come as arrays (explode syntax); ours are single values. */
export function one(v: string | string[] | undefined): string {
  const s = Array.isArray(v) ? v[0] : v;
  if (!s) throw new AppError("invalid_input", "the resource URI is missing its id");
  return decodeURIComponent(s);
}

export async function completeEpisodeIds(deps: ToolDeps, prefix: string): Promise<string[]> {
  const eps = await deps.podcasts.listEpisodes({ limit: 200 });
  return eps.map((e) => String(e.id)).filter((id) => id.startsWith(prefix) || id.replace(/^episode:/, "").startsWith(prefix)).slice(0, 100);
}
