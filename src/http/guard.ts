// Who may talk to the HTTP server. On loopback (the default) no token is needed, but Host and
// Origin must be loopback names too, so a web page cannot reach the server through DNS rebinding.
// Any other bind requires PODCAST_MCP_TOKEN as a bearer token, and Host must name the bind address
// (or a name listed in PODCAST_MCP_ALLOWED_HOSTS).
import type { IncomingMessage } from "node:http";
import { timingSafeEqual } from "node:crypto";
import os from "node:os";

export interface GuardOptions {
  host: string;
  token: string | undefined;
  allowedHosts: string[];
}

export const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

export function isLoopbackBind(host: string): boolean {
  return LOOPBACK.has(host) || host.startsWith("127.");
}

function hostname(hostHeader: string): string {
  if (hostHeader.startsWith("[")) return hostHeader.slice(0, hostHeader.indexOf("]") + 1);
  return hostHeader.split(":")[0]!;
}

const WILDCARD = new Set(["0.0.0.0", "::", "[::]"]);

/**
 * Host names a request may carry. A wildcard bind answers on every address of this machine, so
 * those addresses, its host name and loopback are allowed; a rebinding page's Host is a name of the
 * attacker's, which is none of them.
 */
export function allowedHostnames(opts: Pick<GuardOptions, "host" | "allowedHosts">): Set<string> {
  const allowed = new Set<string>(opts.allowedHosts.map((h) => h.toLowerCase()));
  if (isLoopbackBind(opts.host) || WILDCARD.has(opts.host)) for (const h of LOOPBACK) allowed.add(h);
  if (WILDCARD.has(opts.host)) {
    allowed.add(os.hostname().toLowerCase());
    for (const list of Object.values(os.networkInterfaces())) {
      for (const a of list ?? []) allowed.add(a.family === "IPv6" ? `[${a.address.toLowerCase()}]` : a.address);
    }
  } else if (!isLoopbackBind(opts.host)) allowed.add(opts.host.toLowerCase());
  return allowed;
}

/** Returns undefined when the request may pass, or [status, reason]. */
export function checkRequest(req: IncomingMessage, opts: GuardOptions): [number, string] | undefined {
  const allowed = allowedHostnames(opts);
  const host = req.headers.host;
  if (!host || !allowed.has(hostname(host).toLowerCase())) return [403, `Host not allowed: ${host ?? "(none)"}`];
  const origin = req.headers.origin;
  if (origin) {
    let originHost: string;
    try {
      originHost = new URL(origin).hostname.toLowerCase();
    } catch {
      return [403, "Origin not allowed"];
    }
    if (!allowed.has(originHost) && !allowed.has(`[${originHost}]`)) return [403, `Origin not allowed: ${origin}`];
  }
  if (opts.token) {
    const auth = req.headers.authorization ?? "";
    const given = auth.startsWith("Bearer ") ? auth.slice(7) : "";
    const a = Buffer.from(given);
    const b = Buffer.from(opts.token);
    if (a.length !== b.length || !timingSafeEqual(a, b)) return [401, "Missing or wrong bearer token"];
  }
  return undefined;
}
