// The base URL a caller reached this server by, for the absolute URLs of the feed (and of MCP answers
// that point to a file). Built from the parsed Host only, never from the raw header; the scheme comes
// from X-Forwarded-Proto when a TLS proxy in front says https (a caller can only mislead itself with it).
import os from "node:os";
import { formatHost, parseHostHeader } from "./host-header.js";

/** `http(s)://host[:port]`, or undefined when Host is missing or not a plain host[:port]. */
export function requestBaseUrl(host: string | null | undefined, forwardedProto?: string | null): string | undefined {
  const parsed = parseHostHeader(host ?? undefined);
  if (!parsed) return undefined;
  const proto = forwardedProto?.split(",")[0]?.trim().toLowerCase() === "https" ? "https" : "http";
  return `${proto}://${formatHost(parsed)}`;
}

/**
 * A base URL another program on this machine (or, for a wildcard bind, the network) can use for
 * the server bound at `bindUrl`: a wildcard address is no destination, so the host name stands in.
 */
export function publicBaseUrl(bindUrl: string): string {
  const u = new URL(bindUrl);
  if (u.hostname === "0.0.0.0" || u.hostname === "[::]") u.hostname = os.hostname();
  return u.origin;
}
