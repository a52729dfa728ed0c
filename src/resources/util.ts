import type { ReadResourceResult } from "@modelcontextprotocol/server";
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
