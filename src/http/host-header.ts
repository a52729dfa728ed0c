// The Host header, parsed strictly as host[:port] (RFC 9110 §7.2 / RFC 3986 §3.2.2). Reading it up to the
// first ":" let `127.0.0.1:80@evil.com` pass the allow-list and land in the feed's enclosure URLs; here
// anything but a plain name, a dotted IPv4 or a bracketed IPv6, and an optional port of digits, is refused.
import { isIPv6 } from "node:net";

export interface HostPort {
  /** Lower-case name, dotted IPv4, or IPv6 in brackets (`[::1]`). */
  hostname: string;
  port: number | undefined;
}

// Letters, digits, '-', '.', '_' (container and compose names use '_'); each label 1–63 characters.
const NAME = /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/;
const HOST_PORT = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/;

/** A host name alone (no port), as a proxy or an allow-list names it; undefined when it is not one. */
export function parseHostname(value: string): string | undefined {
  const h = value.trim().toLowerCase();
  if (h.startsWith("[")) return h.endsWith("]") && isIPv6(h.slice(1, -1)) ? h : undefined;
  return NAME.test(h) ? h.replace(/\.$/, "") : undefined;
}

/** `host[:port]`, or undefined for anything else (userinfo, paths, spaces, a bad port, several values). */
export function parseHostHeader(value: string | undefined): HostPort | undefined {
  if (!value) return undefined;
  const m = HOST_PORT.exec(value.toLowerCase());
  if (!m) return undefined;
  const hostname = parseHostname(m[1]!);
  if (!hostname) return undefined;
  if (m[2] === undefined) return { hostname, port: undefined };
  const port = Number(m[2]);
  return port >= 1 && port <= 65535 ? { hostname, port } : undefined;
}

/** The authority for a URL built from a parsed Host: only the parsed parts, never the raw header. */
export function formatHost(h: HostPort): string {
  return h.port === undefined ? h.hostname : `${h.hostname}:${h.port}`;
}
