// Who may talk to the HTTP server. On loopback (the default) no token is needed, but Host and
// Origin must be loopback names too, so a web page cannot reach the server through DNS rebinding.
// Any other bind requires PODCAST_MCP_TOKEN as a bearer token, and Host must name the bind address
// (or a name listed in PODCAST_MCP_ALLOWED_HOSTS). Listing a name that is not loopback means a proxy
// forwards other machines' requests: that is remote exposure too (see decideExposure).
import type { IncomingMessage } from "node:http";
import { timingSafeEqual } from "node:crypto";
import os from "node:os";
import { parseHostHeader, parseHostname } from "./host-header.js";

export interface GuardOptions {
  host: string;
  token: string | undefined;
  allowedHosts: string[];
}

export const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

export function isLoopbackBind(host: string): boolean {
  return LOOPBACK.has(host) || host.startsWith("127.");
}

const WILDCARD = new Set(["0.0.0.0", "::", "[::]"]);

/** Who can reach the server, decided once at start: the token rule and config.exposure follow from it. */
export type ExposureDecision =
  | { ok: true; exposure: "local" | "remote"; reason: string }
  | { ok: false; message: string };

/**
 * Remote exposure when the bind is not loopback, or when an allowed Host name is not a loopback name
 * (a proxy on this machine forwards other machines' requests, so a loopback bind proves nothing about
 * the caller). Remote exposure needs a token, and the server then refuses local files and private URLs.
 */
export function decideExposure(opts: GuardOptions): ExposureDecision {
  const bad = opts.allowedHosts.find((h) => parseHostname(h) === undefined);
  if (bad !== undefined) {
    return {
      ok: false,
      message: `PODCAST_MCP_ALLOWED_HOSTS: "${bad}" is not a host name (give names only, no scheme, port or path).`,
    };
  }
  const forwarded = opts.allowedHosts.map((h) => parseHostname(h)!).filter((h) => !isLoopbackBind(h));
  let reason: string;
  if (!isLoopbackBind(opts.host)) reason = `listening on ${opts.host}, not loopback`;
  else if (forwarded.length > 0)
    reason = `PODCAST_MCP_ALLOWED_HOSTS names ${forwarded.join(", ")}: a proxy forwards other machines' requests`;
  else return { ok: true, exposure: "local", reason: "loopback only" };
  if (!opts.token) {
    return {
      ok: false,
      message: `Refusing to start without PODCAST_MCP_TOKEN: ${reason}, so callers must send a bearer token.`,
    };
  }
  return { ok: true, exposure: "remote", reason };
}

/**
 * Host names a request may carry. A wildcard bind answers on every address of this machine, so
 * those addresses, its host name and loopback are allowed; a rebinding page's Host is a name of the
 * attacker's, which is none of them.
 */
export function allowedHostnames(opts: Pick<GuardOptions, "host" | "allowedHosts">): Set<string> {
  const allowed = new Set<string>(opts.allowedHosts.map((h) => parseHostname(h) ?? h.toLowerCase()));
  if (isLoopbackBind(opts.host) || WILDCARD.has(opts.host)) for (const h of LOOPBACK) allowed.add(h);
  if (WILDCARD.has(opts.host)) {
    allowed.add(os.hostname().toLowerCase());
    for (const list of Object.values(os.networkInterfaces())) {
      for (const a of list ?? []) allowed.add(a.family === "IPv6" ? `[${a.address.toLowerCase()}]` : a.address);
    }
  } else if (!isLoopbackBind(opts.host))
    allowed.add(opts.host.includes(":") ? `[${opts.host.toLowerCase()}]` : opts.host.toLowerCase());
  return allowed;
}

/** The token of an `Authorization: Bearer <token>` header; the scheme is case-insensitive (RFC 9110 §11.1). */
export function bearerToken(header: string | undefined): string | undefined {
  return /^bearer +([^\s]+) *$/i.exec(header ?? "")?.[1];
}

function sameToken(given: string | undefined, expected: string): boolean {
  const a = Buffer.from(given ?? "");
  const b = Buffer.from(expected);
  // Compare equal-length buffers only; the length itself is not the secret.
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Returns undefined when the request may pass, or [status, reason]. */
export function checkRequest(req: IncomingMessage, opts: GuardOptions): [number, string] | undefined {
  const allowed = allowedHostnames(opts);
  const raw = req.headers.host;
  const host = parseHostHeader(raw);
  if (!host || !allowed.has(host.hostname)) return [403, `Host not allowed: ${raw ?? "(none)"}`];
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
  if (opts.token && !sameToken(bearerToken(req.headers.authorization), opts.token))
    return [401, "Missing or wrong bearer token"];
  return undefined;
}
