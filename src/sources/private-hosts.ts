// An opt-in guard for servers reachable by remote agents: a URL source must not make this machine
// fetch from itself or its private network (cloud metadata endpoints, admin panels).
//
// The check sits where the connection is made, not before it: the HTTP request's `lookup` hook
// resolves the name, refuses the answer if any address is private, and hands the socket exactly
// the addresses it checked. A name that resolves to a public address when checked and to
// 127.0.0.1 when connected (DNS rebinding) therefore cannot pass: there is only one resolution.
// Node connects to an IP literal without calling `lookup`, so literals are checked apart, after
// the URL parser has written them canonically. Every redirect hop is a new request through both.
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import { type AppError, invalidInput } from "../errors.js";
import { blockedAddressReason } from "./address.js";

export { blockedAddressReason, isPrivateAddress } from "./address.js";

/** Which addresses are refused (a reason) and which pass (undefined). */
export type AddressPolicy = (address: string) => string | undefined;

/** dns.lookup with `all: true`; tests pass a resolver of their own to play a rebinding DNS server. */
export type Resolver = (
  hostname: string,
  options: LookupOptions & { all: true },
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

const systemResolver: Resolver = (hostname, options, callback) => dnsLookup(hostname, options, callback);

export function privateAddressError(hostPort: string, address: string, reason: string): AppError {
  const what = `${hostPort} is a private or loopback address (${address}, ${reason})`;
  return invalidInput("url", `${what}; only public hosts may be fetched here`);
}

/** An IP-literal host is connected to as written, so it is judged here, before any request. */
export function assertPublicLiteral(url: URL, policy: AddressPolicy = blockedAddressReason): void {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!isIP(host)) return;
  const reason = policy(host);
  if (reason) throw privateAddressError(url.host, host, reason);
}

/**
 * A `lookup` for http.request / net.connect that resolves as usual and fails with an AppError when
 * any answer is refused by the policy. All answers are judged, not only the first: the socket may
 * try every one of them (happy eyeballs).
 */
export function guardedLookup(
  hostPort: string,
  policy: AddressPolicy = blockedAddressReason,
  resolve: Resolver = systemResolver,
): LookupFunction {
  return ((hostname: string, options: LookupOptions, callback: (...args: unknown[]) => void) => {
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err);
      for (const a of addresses) {
        const reason = policy(a.address);
        if (reason) return callback(privateAddressError(hostPort, a.address, reason));
      }
      if (addresses.length === 0) {
        return callback(Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }));
      }
      if (options.all) return callback(null, addresses);
      return callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  }) as LookupFunction;
}
