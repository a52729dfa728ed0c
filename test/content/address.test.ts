// The private-address check on every spelling of an address (issue 8 §2). Nothing here connects.
import { describe, expect, it } from "vitest";
import { blockedAddressReason, isPrivateAddress, parseIPv4, parseIPv6 } from "../../src/sources/address.js";

describe("parsing every spelling", () => {
  it("IPv4 in decimal, octal, hex and short forms, as inet_aton reads them", () => {
    expect(parseIPv4("127.0.0.1")).toEqual([127, 0, 0, 1]);
    expect(parseIPv4("2130706433")).toEqual([127, 0, 0, 1]);
    expect(parseIPv4("0177.0.0.1")).toEqual([127, 0, 0, 1]);
    expect(parseIPv4("0x7f.1")).toEqual([127, 0, 0, 1]);
    expect(parseIPv4("0x7f000001")).toEqual([127, 0, 0, 1]);
    expect(parseIPv4("127.1")).toEqual([127, 0, 0, 1]);
    expect(parseIPv4("10.0.1")).toEqual([10, 0, 0, 1]);
    expect(parseIPv4("169.254.43518")).toEqual([169, 254, 169, 254]);
    expect(parseIPv4("127.0.0.1.")).toEqual([127, 0, 0, 1]);
    for (const bad of ["256.0.0.1", "1.2.3.4.5", "08.0.0.1", "example.com", "4294967296", "1.16777216", ""]) {
      expect(parseIPv4(bad), bad).toBeUndefined();
    }
  });
  it("IPv6 with zero padding, '::', a dotted tail, brackets and zone ids", () => {
    const loopMapped = [0, 0, 0, 0, 0, 0xffff, 0x7f00, 1];
    expect(parseIPv6("::ffff:7f00:1")).toEqual(loopMapped);
    expect(parseIPv6("::ffff:127.0.0.1")).toEqual(loopMapped);
    expect(parseIPv6("0:0:0:0:0:ffff:127.0.0.1")).toEqual(loopMapped);
    expect(parseIPv6("0000:0000:0000:0000:0000:ffff:7f00:0001")).toEqual(loopMapped);
    expect(parseIPv6("[::FFFF:7F00:1]")).toEqual(loopMapped);
    expect(parseIPv6("fe80::1%eth0")).toEqual([0xfe80, 0, 0, 0, 0, 0, 0, 1]);
    expect(parseIPv6("::")).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    for (const bad of ["1:2:3:4:5:6:7:8:9", "1::2::3", "12345::1", "::ffff:256.0.0.1", "g::1", "127.0.0.1"]) {
      expect(parseIPv6(bad), bad).toBeUndefined();
    }
  });
});

describe("blockedAddressReason", () => {
  it("refuses every spelling of loopback, with the way it was carried", () => {
    const cases: [string, string][] = [
      ["127.0.0.1", "loopback"],
      ["127.255.255.254", "loopback"],
      ["2130706433", "loopback"],
      ["0177.0.0.1", "loopback"],
      ["0x7f.1", "loopback"],
      ["::1", "loopback"],
      ["0:0:0:0:0:0:0:1", "loopback"],
      ["::ffff:7f00:1", "loopback via IPv4-mapped"],
      ["::ffff:127.0.0.1", "loopback via IPv4-mapped"],
      ["0:0:0:0:0:ffff:127.0.0.1", "loopback via IPv4-mapped"],
      ["0000:0000:0000:0000:0000:ffff:7f00:0001", "loopback via IPv4-mapped"],
      ["::127.0.0.1", "loopback via IPv4-compatible"],
      ["::ffff:0:7f00:1", "loopback via IPv4-translated"],
      ["64:ff9b::7f00:1", "loopback via NAT64"],
      ["64:ff9b::127.0.0.1", "loopback via NAT64"],
      ["2002:7f00:1::", "loopback via 6to4"],
      ["2002:7f00:0001:0:0:0:0:1", "loopback via 6to4"],
      // Teredo hides the client's address inverted: 80ff:fffe is 127.0.0.1 with every bit flipped.
      ["2001:0:4136:e378:8000:63bf:80ff:fffe", "loopback via Teredo client"],
      ["2001:0:7f00:1::1", "loopback via Teredo server"],
    ];
    for (const [ip, reason] of cases) expect(blockedAddressReason(ip), ip).toBe(reason);
  });
  it("refuses link-local, metadata, private, unique-local, CGNAT, multicast, unspecified and reserved ranges", () => {
    const cases: [string, string][] = [
      ["169.254.169.254", "cloud metadata"],
      ["::ffff:a9fe:a9fe", "cloud metadata via IPv4-mapped"],
      ["64:ff9b::169.254.169.254", "cloud metadata via NAT64"],
      ["169.254.1.1", "link-local"],
      ["fe80::1", "link-local"],
      ["febf:ffff::1", "link-local"],
      ["fec0::1", "site-local"],
      ["10.1.2.3", "private"],
      ["172.16.0.1", "private"],
      ["172.31.255.255", "private"],
      ["192.168.1.1", "private"],
      ["::ffff:192.168.1.1", "private via IPv4-mapped"],
      ["2002:c0a8:0101::1", "private via 6to4"],
      ["fd00::1", "unique-local"],
      ["fc00::1", "unique-local"],
      ["fd00:ec2::254", "unique-local"],
      ["100.64.0.1", "carrier-grade NAT"],
      ["100.127.255.255", "carrier-grade NAT"],
      ["224.0.0.1", "multicast"],
      ["239.255.255.250", "multicast"],
      ["ff02::1", "multicast"],
      ["0.0.0.0", "unspecified"],
      ["0", "unspecified"],
      ["::", "unspecified"],
      ["240.0.0.1", "reserved"],
      ["255.255.255.255", "reserved"],
      ["198.18.0.1", "benchmarking"],
      ["192.0.2.1", "documentation"],
      ["2001:db8::1", "documentation"],
      ["64:ff9b:1::1", "local NAT64"],
      ["100::1", "discard-only"],
    ];
    for (const [ip, reason] of cases) expect(blockedAddressReason(ip), ip).toBe(reason);
  });
  it("lets public addresses through, in any spelling, and their neighbours of private ranges", () => {
    const open = [
      "8.8.8.8",
      "1.1.1.1",
      "172.32.0.1",
      "172.15.255.255",
      "192.169.0.1",
      "100.128.0.1",
      "169.255.0.1",
      "11.0.0.1",
      "2001:4860:4860::8888",
      "::ffff:8.8.8.8",
      "::ffff:808:808",
      "64:ff9b::8.8.8.8",
      "2002:0808:0808::1",
      "2606:4700:4700::1111",
      "0x08080808",
      "134744072",
    ];
    for (const ip of open) expect(blockedAddressReason(ip), ip).toBeUndefined();
  });
  it("fails closed on what is not an address", () => {
    for (const s of ["localhost", "example.com", "", "1.2.3.4.5", "::g"]) {
      expect(blockedAddressReason(s), s).toBe("not an IP address");
      expect(isPrivateAddress(s), s).toBe(true);
    }
  });
});
