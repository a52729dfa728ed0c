// The base URL a caller reached this server by, for the absolute URLs of the feed (and of MCP answers
// that point to a file). Built from the parsed Host only, never from the raw header; the scheme comes
// from X-Forwarded-Proto when a TLS proxy in front says https (a caller can only mislead itself with it).
import { formatHost, parseHostHeader } from "./host-header.js";

/** `http(s)://host[:port]`, or undefined when Host is missing or not a plain host[:port]. */
export function requestBaseUrl(host: string | null | undefined, forwardedProto?: string | null): string | undefined {
  const parsed = parseHostHeader(host ?? undefined);
  if (!parsed) return undefined;
  const proto = forwardedProto?.split(",")[0]?.trim().toLowerCase() === "https" ? "https" : "http";
  return `${proto}://${formatHost(parsed)}`;
}
