// Is an IP address off limits for a server that fetches URLs for remote callers? Every spelling
// is first reduced to one canonical address: IPv4 written in decimal, octal or hex, short forms
// ("127.1"), zero-padded IPv6, zone ids, and IPv4 carried inside IPv6 (mapped, compatible,
// translated, NAT64, 6to4, Teredo). The old check knew only "::ffff:a.b.c.d", while the URL parser
// writes mapped addresses in hex ("::ffff:7f00:1"), so loopback passed as IPv6 (issue 8 §2).
// The ranges themselves live in net.BlockList, which compares numbers, not strings.
import { BlockList } from "node:net";

type Range = readonly [network: string, prefix: number, label: string];

// IANA special-purpose registries (IPv4 and IPv6), the blocks a public web page never lives in.
const V4: Range[] = [
  ["0.0.0.0", 8, "unspecified"],
  ["10.0.0.0", 8, "private"],
  ["100.64.0.0", 10, "carrier-grade NAT"],
  ["127.0.0.0", 8, "loopback"],
  ["169.254.169.254", 32, "cloud metadata"],
  ["169.254.0.0", 16, "link-local"],
  ["172.16.0.0", 12, "private"],
  ["192.0.0.0", 24, "IETF protocol assignments"],
  ["192.0.2.0", 24, "documentation"],
  ["192.88.99.0", 24, "6to4 relay"],
  ["192.168.0.0", 16, "private"],
  ["198.18.0.0", 15, "benchmarking"],
  ["198.51.100.0", 24, "documentation"],
  ["203.0.113.0", 24, "documentation"],
  ["224.0.0.0", 4, "multicast"],
  ["240.0.0.0", 4, "reserved"],
];
const V6: Range[] = [
  ["::", 128, "unspecified"],
  ["::1", 128, "loopback"],
  ["64:ff9b:1::", 48, "local NAT64"],
  ["100::", 64, "discard-only"],
  ["2001:db8::", 32, "documentation"],
  ["2001:10::", 28, "ORCHID"],
  ["2001:20::", 28, "ORCHIDv2"],
  ["3fff::", 20, "documentation"],
  ["fc00::", 7, "unique-local"],
  ["fe80::", 10, "link-local"],
  ["fec0::", 10, "site-local"],
  ["ff00::", 8, "multicast"],
];

function lists(ranges: Range[], type: "ipv4" | "ipv6"): { label: string; list: BlockList }[] {
  const byLabel = new Map<string, BlockList>();
  for (const [network, prefix, label] of ranges) {
    const list = byLabel.get(label) ?? new BlockList();
    list.addSubnet(network, prefix, type);
    byLabel.set(label, list);
  }
  return [...byLabel].map(([label, list]) => ({ label, list }));
}
const V4_LISTS = lists(V4, "ipv4");
const V6_LISTS = lists(V6, "ipv6");

/** One IPv4 part as inet_aton reads it: 0x… hex, 0… octal, else decimal. */
function v4Part(s: string): number | undefined {
  if (/^0x[0-9a-f]*$/i.test(s)) return s.length === 2 ? 0 : parseInt(s.slice(2), 16);
  if (/^0[0-7]*$/.test(s)) return parseInt(s, 8);
  if (/^[1-9][0-9]*$/.test(s)) return Number(s);
  return undefined;
}

/** "127.0.0.1", "0177.0.0.1", "0x7f.1", "2130706433", "127.1" → the four bytes; else undefined. */
export function parseIPv4(s: string): number[] | undefined {
  const parts = s.split(".");
  if (parts.length > 0 && parts[parts.length - 1] === "") parts.pop(); // a trailing dot, as in "127.0.0.1."
  if (parts.length < 1 || parts.length > 4) return undefined;
  const nums = parts.map((p) => (p.length <= 12 ? v4Part(p) : undefined));
  if (nums.some((n) => n === undefined)) return undefined;
  const values = nums as number[];
  const last = values.pop()!;
  // The last part fills the bytes the others left (so "127.1" is 127.0.0.1).
  if (values.some((v) => v > 255) || last >= 256 ** (4 - values.length)) return undefined;
  const bytes = [...values];
  for (let i = 4 - values.length - 1; i >= 0; i--) bytes.push(Math.floor(last / 256 ** i) % 256);
  return bytes;
}

/** Any IPv6 spelling (brackets, zone id, zero padding, "::", a dotted IPv4 tail) → eight 16-bit groups. */
export function parseIPv6(raw: string): number[] | undefined {
  let s = raw
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, "$1")
    .replace(/%.*$/, "");
  if (!s.includes(":") || s.length > 100) return undefined;
  // A dotted IPv4 tail ("::ffff:127.0.0.1") becomes the two hex groups it stands for.
  const dotted = /:(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted) {
    const v4 = dotted[1]!.split(".").map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : 256));
    if (v4.some((n) => n > 255)) return undefined;
    const hi = ((v4[0]! << 8) | v4[1]!).toString(16);
    const lo = ((v4[2]! << 8) | v4[3]!).toString(16);
    s = `${s.slice(0, dotted.index + 1)}${hi}:${lo}`;
  }
  const halves = s.split("::");
  if (halves.length > 2) return undefined;
  const groups = (h: string) => (h === "" ? [] : h.split(":"));
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  if ([...head, ...rest].some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return undefined;
  const given = head.length + rest.length;
  if (halves.length === 1 ? given !== 8 : given > 7) return undefined;
  const zeros = Array<number>(8 - given).fill(0);
  return [...head.map((g) => parseInt(g, 16)), ...zeros, ...rest.map((g) => parseInt(g, 16))];
}

const v4String = (b: number[]) => b.join(".");
const v6String = (g: number[]) => g.map((n) => n.toString(16)).join(":");
const v4FromGroups = (hi: number, lo: number) => [hi >> 8, hi & 255, lo >> 8, lo & 255];

/** The IPv4 address an IPv6 address carries, and how, for the forms that route to it. */
function embeddedV4(g: number[]): { v4: number[]; via: string }[] {
  const zero = (from: number, to: number) => g.slice(from, to).every((n) => n === 0);
  const found: { v4: number[]; via: string }[] = [];
  if (zero(0, 5) && g[5] === 0xffff) found.push({ v4: v4FromGroups(g[6]!, g[7]!), via: "IPv4-mapped" });
  if (zero(0, 6)) found.push({ v4: v4FromGroups(g[6]!, g[7]!), via: "IPv4-compatible" });
  if (zero(0, 4) && g[4] === 0xffff && g[5] === 0)
    found.push({ v4: v4FromGroups(g[6]!, g[7]!), via: "IPv4-translated" });
  if (g[0] === 0x64 && g[1] === 0xff9b && zero(2, 6)) found.push({ v4: v4FromGroups(g[6]!, g[7]!), via: "NAT64" });
  if (g[0] === 0x2002) found.push({ v4: v4FromGroups(g[1]!, g[2]!), via: "6to4" });
  if (g[0] === 0x2001 && g[1] === 0) {
    // Teredo: the server's address in the clear, the client's inverted in the last 32 bits.
    found.push({ v4: v4FromGroups(g[2]!, g[3]!), via: "Teredo server" });
    found.push({ v4: v4FromGroups(~g[6]! & 0xffff, ~g[7]! & 0xffff), via: "Teredo client" });
  }
  return found;
}

function v4Label(bytes: number[]): string | undefined {
  const ip = v4String(bytes);
  return V4_LISTS.find((l) => l.list.check(ip, "ipv4"))?.label;
}

/**
 * Why an address must not be fetched from ("loopback", "link-local", "loopback via IPv4-mapped"),
 * or undefined for a public address. Anything that does not parse as an IP address is refused
 * too ("not an IP address"): callers pass addresses about to be connected to, never names.
 */
export function blockedAddressReason(address: string): string | undefined {
  const v6 = parseIPv6(address);
  if (v6) {
    const canonical = v6String(v6);
    const label = V6_LISTS.find((l) => l.list.check(canonical, "ipv6"))?.label;
    if (label) return label;
    for (const { v4, via } of embeddedV4(v6)) {
      const inner = v4Label(v4);
      if (inner) return `${inner} via ${via}`;
    }
    return undefined;
  }
  const v4 = parseIPv4(address.trim());
  if (v4) return v4Label(v4);
  return "not an IP address";
}

export function isPrivateAddress(address: string): boolean {
  return blockedAddressReason(address) !== undefined;
}
