// SSRF through other spellings of loopback (issue 8 §2), end to end against a loopback server of
// this test's own. Only spellings that really reach 127.0.0.1 are connected to (the IPv4-mapped
// forms); names are resolved by a fake resolver that only ever answers with loopback addresses,
// so nothing here leaves the machine.
import type { LookupAddress } from "node:dns";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../src/errors.js";
import { extractText } from "../../src/sources/index.js";
import type { Resolver } from "../../src/sources/private-hosts.js";
import { startFakeServer, type FakeServer } from "../fakes/server.js";

const SECRET = "instance-secret-token-7f3a";
let server: FakeServer;
let port: string;

async function failure(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

/** A DNS server that answers every name with the given loopback addresses, and counts questions. */
function fakeDns(...addresses: LookupAddress[]): Resolver & { asked: string[] } {
  const asked: string[] = [];
  const resolve: Resolver = (hostname, _options, callback) => {
    asked.push(hostname);
    setImmediate(() => callback(null, addresses));
  };
  return Object.assign(resolve, { asked });
}

beforeAll(async () => {
  server = await startFakeServer((req, _body, res) => {
    const url = req.url ?? "";
    if (url === "/secret") res.writeHead(200, { "content-type": "text/plain" }).end(SECRET);
    else if (url === "/to-mapped") res.writeHead(302, { location: `http://[::ffff:7f00:1]:${port}/secret` }).end();
    else if (url === "/to-name") res.writeHead(302, { location: `http://metadata.internal:${port}/secret` }).end();
    else return false;
    return true;
  });
  port = new URL(server.url).port;
});

afterAll(async () => {
  await server.close();
});

describe("IPv4-mapped spellings of 127.0.0.1", () => {
  const spellings = [
    "[::ffff:7f00:1]",
    "[::ffff:127.0.0.1]",
    "[0:0:0:0:0:ffff:127.0.0.1]",
    "[0000:0000:0000:0000:0000:ffff:7f00:0001]",
  ];

  it("really reach the loopback server when nothing guards (so the refusals below mean something)", async () => {
    for (const host of spellings) {
      const got = await extractText({ kind: "url", url: `http://${host}:${port}/secret` });
      expect(got.text, host).toBe(SECRET);
    }
  });

  it("are refused with publicHostsOnly, and the page's text never comes back", async () => {
    const before = server.requests.length;
    for (const host of spellings) {
      const err = await failure(
        extractText({ kind: "url", url: `http://${host}:${port}/secret` }, { publicHostsOnly: true }),
      );
      expect(err.kind, host).toBe("invalid_input");
      expect(err.message, host).toMatch(
        /^url: \[::ffff:7f00:1\]:\d+ is a private or loopback address \(::ffff:7f00:1, loopback via IPv4-mapped\)/,
      );
      expect(err.message).not.toContain(SECRET);
    }
    expect(server.requests.length).toBe(before); // refused before connecting
  });
});

describe("the address connected to is the address checked", () => {
  it("a name is judged on its DNS answer, inside the connection's own lookup", async () => {
    const dns = fakeDns({ address: "::ffff:127.0.0.1", family: 6 });
    const before = server.requests.length;
    const err = await failure(
      extractText(
        { kind: "url", url: `http://rebind.example:${port}/secret` },
        { publicHostsOnly: true, resolver: dns },
      ),
    );
    expect(err.message).toBe(
      `url: rebind.example:${port} is a private or loopback address (::ffff:127.0.0.1, loopback via IPv4-mapped); ` +
        "only public hosts may be fetched here",
    );
    // One question, asked by the connection itself: no second lookup a rebinding server could answer differently.
    expect(dns.asked).toEqual(["rebind.example"]);
    expect(server.requests.length).toBe(before);
  });

  it("every answer is judged, not only the first (the socket may try them all)", async () => {
    const dns = fakeDns({ address: "127.0.0.1", family: 4 }, { address: "169.254.169.254", family: 4 });
    const narrow = (ip: string) => (ip === "127.0.0.1" ? undefined : "not allowed in this test");
    const err = await failure(
      extractText(
        { kind: "url", url: `http://two.example:${port}/secret` },
        { publicHostsOnly: true, resolver: dns, addressPolicy: narrow },
      ),
    );
    expect(err.message).toMatch(/\(169\.254\.169\.254, not allowed in this test\)/);
  });

  it("the same name passes when the policy allows its answer (the guard is not refusing everything)", async () => {
    const dns = fakeDns({ address: "127.0.0.1", family: 4 });
    const only127 = (ip: string) => (ip === "127.0.0.1" ? undefined : "not allowed in this test");
    const got = await extractText(
      { kind: "url", url: `http://allowed.example:${port}/secret` },
      { publicHostsOnly: true, resolver: dns, addressPolicy: only127 },
    );
    expect(got.text).toBe(SECRET);
    expect(dns.asked).toEqual(["allowed.example"]);
  });

  it("every hop is checked: no redirect from a permitted hop to a mapped loopback or a private name", async () => {
    // The policy allows exactly "127.0.0.1" as written, standing in for a public host on this machine.
    const only127 = (ip: string) => (ip === "127.0.0.1" ? undefined : "not allowed in this test");
    const secrets = () => server.requests.filter((r) => r.path === "/secret").length;
    const before = secrets();
    const toMapped = await failure(
      extractText({ kind: "url", url: `${server.url}/to-mapped` }, { publicHostsOnly: true, addressPolicy: only127 }),
    );
    expect(toMapped.message).toMatch(
      /^url: \[::ffff:7f00:1\]:\d+ is a private or loopback address \(::ffff:7f00:1, not allowed in this test\)/,
    );
    const dns = fakeDns({ address: "::ffff:7f00:1", family: 6 });
    const toName = await failure(
      extractText(
        { kind: "url", url: `${server.url}/to-name` },
        { publicHostsOnly: true, addressPolicy: only127, resolver: dns },
      ),
    );
    expect(toName.message).toMatch(/^url: metadata\.internal:\d+ is a private or loopback address/);
    expect(dns.asked).toEqual(["metadata.internal"]);
    expect(server.requests.filter((r) => r.path === "/to-mapped" || r.path === "/to-name")).toHaveLength(2);
    expect(secrets()).toBe(before);
  });
});
