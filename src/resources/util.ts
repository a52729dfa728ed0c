// Helpers every resource shares: JSON contents, URI variables, and errors in the protocol's words.
import { ProtocolError, ResourceNotFoundError, type ReadResourceResult } from "@modelcontextprotocol/server";
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

const RESOURCE_NOT_FOUND_2025 = -32002;
const INVALID_PARAMS = -32602;

/**
 * A read whose errors a client can act on: a record that does not exist is "resource not found"
 * (-32002 with data.uri for 2025-era clients; the SDK's ResourceNotFoundError, -32602 with data.uri,
 * as the 2026-07-28 revision requires), a malformed id is -32602 naming the rule, anything else
 * stays an internal error. Without this every failure reached clients as -32603.
 */
export function reading<A extends unknown[]>(
  era: "legacy" | "modern",
  read: (uri: URL, ...rest: A) => Promise<ReadResourceResult>,
): (uri: URL, ...rest: A) => Promise<ReadResourceResult> {
  return async (uri, ...rest) => {
    try {
      return await read(uri, ...rest);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      if (err.kind === "not_found") {
        if (era === "modern") throw new ResourceNotFoundError(uri.href, err.message);
        throw new ProtocolError(RESOURCE_NOT_FOUND_2025, err.message, { uri: uri.href });
      }
      if (err.kind === "invalid_input") throw new ProtocolError(INVALID_PARAMS, err.message);
      throw err;
    }
  };
}
