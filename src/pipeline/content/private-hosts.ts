// An opt-in guard for servers reachable by remote agents: a URL source must not make this machine
// fetch from itself or its private network (cloud metadata endpoints, admin panels). Checked on
// every redirect hop. A DNS answer can still change between this check and the connection
// (rebinding); this stops the plain cases, not a determined attacker controlling DNS.
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { invalidInput } from "../../errors.js";

function v4Private(ip: string): boolean {
  const [a = 0, b = 0] = ip.split(".").map(Number);
  return (
    a === 0 || a === 10 || a === 127 || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 198 && (b === 18 || b === 19)) || a >= 224
  );
}

export function isPrivateAddress(ip: string): boolean {
  if (isIP(ip) === 4) return v4Private(ip);
  const v6 = ip.toLowerCase().replace(/^\[|\]$/g, "");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(v6);
  if (mapped) return v4Private(mapped[1]!);
  return v6 === "::" || v6 === "::1" || /^f[cd]/.test(v6) || /^fe[89ab]/.test(v6) || /^ff/.test(v6);
}

export async function assertPublicHost(url: URL): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true, verbatim: true }).catch(() => [])).map((a) => a.address);
  // An unresolvable name is left to fetch, which reports it as a connection failure.
  const bad = addresses.find(isPrivateAddress);
  if (bad) throw invalidInput("url", `${url.host} is a private or loopback address (${bad}); only public hosts may be fetched here`);
}
