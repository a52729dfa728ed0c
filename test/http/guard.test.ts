// Host parsed strictly, the bearer scheme in any case, and the one decision on exposure at start.
import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { bearerToken, checkRequest, decideExposure } from "../../src/http/guard.js";
import { parseHostHeader } from "../../src/http/host-header.js";
import { requestBaseUrl } from "../../src/http/public-url.js";

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
const loop = { host: "127.0.0.1", token: undefined, allowedHosts: [] };

describe("Host", () => {
  it("parses host[:port] only", () => {
    expect(parseHostHeader("127.0.0.1:3333")).toEqual({ hostname: "127.0.0.1", port: 3333 });
    expect(parseHostHeader("LocalHost")).toEqual({ hostname: "localhost", port: undefined });
    expect(parseHostHeader("[::1]:80")).toEqual({ hostname: "[::1]", port: 80 });
    expect(parseHostHeader("podcasts.example.com.")).toEqual({ hostname: "podcasts.example.com", port: undefined });
    for (const bad of [
      "127.0.0.1:80@evil.com",
      "user@127.0.0.1",
      "127.0.0.1:",
      "127.0.0.1:99999",
      "127.0.0.1:0",
      "127.0.0.1:80:81",
      "127.0.0.1/evil",
      "127.0.0.1 evil.com",
      "127.0.0.1,evil.com",
      "[::1",
      "[not-ipv6]",
      "::1",
      "a..b",
      "",
    ]) {
      expect(parseHostHeader(bad), bad).toBeUndefined();
    }
  });

  it("refuses a Host with userinfo or junk after the port, even when it starts with loopback", () => {
    expect(checkRequest(req({ host: "127.0.0.1:80@evil.com" }), loop)?.[0]).toBe(403);
    expect(checkRequest(req({ host: "localhost:80/x" }), loop)?.[0]).toBe(403);
    expect(checkRequest(req({ host: "127.0.0.1:80" }), loop)).toBeUndefined();
    expect(checkRequest(req({ host: "[::1]:80" }), loop)).toBeUndefined();
  });

  it("builds URLs from the parsed Host only", () => {
    expect(requestBaseUrl("127.0.0.1:3333")).toBe("http://127.0.0.1:3333");
    expect(requestBaseUrl("Podcasts.Example.com", "https")).toBe("https://podcasts.example.com");
    expect(requestBaseUrl("podcasts.example.com", "https, http")).toBe("https://podcasts.example.com");
    expect(requestBaseUrl("podcasts.example.com", "javascript")).toBe("http://podcasts.example.com");
    expect(requestBaseUrl("127.0.0.1:80@evil.com")).toBeUndefined();
  });
});

describe("bearer token", () => {
  const opts = { host: "0.0.0.0", token: "s3cret", allowedHosts: [] };
  it("accepts the scheme in any case, and nothing but the exact token", () => {
    expect(bearerToken("bearer abc")).toBe("abc");
    expect(bearerToken("BEARER  abc")).toBe("abc");
    expect(bearerToken("Basic abc")).toBeUndefined();
    expect(bearerToken("Bearerabc")).toBeUndefined();
    expect(checkRequest(req({ host: "127.0.0.1", authorization: "bearer s3cret" }), opts)).toBeUndefined();
    expect(checkRequest(req({ host: "127.0.0.1", authorization: "Bearer s3cret" }), opts)).toBeUndefined();
    expect(checkRequest(req({ host: "127.0.0.1", authorization: "bearer s3cre" }), opts)?.[0]).toBe(401);
    expect(checkRequest(req({ host: "127.0.0.1", authorization: "bearer s3cretX" }), opts)?.[0]).toBe(401);
    expect(checkRequest(req({ host: "127.0.0.1" }), opts)?.[0]).toBe(401);
  });
});

describe("exposure", () => {
  it("is local only on a loopback bind whose allowed names are loopback too", () => {
    expect(decideExposure(loop)).toMatchObject({ ok: true, exposure: "local" });
    expect(decideExposure({ ...loop, allowedHosts: ["localhost", "127.0.0.2"] })).toMatchObject({
      ok: true,
      exposure: "local",
    });
  });

  it("is remote behind a proxy (a non-loopback allowed name) or on another bind, and then needs a token", () => {
    const proxy = decideExposure({ ...loop, allowedHosts: ["podcasts.example.com"] });
    expect(proxy).toMatchObject({ ok: false });
    expect(!proxy.ok && proxy.message).toMatch(/PODCAST_MCP_TOKEN.*podcasts\.example\.com/);
    expect(decideExposure({ ...loop, allowedHosts: ["podcasts.example.com"], token: "t" })).toMatchObject({
      ok: true,
      exposure: "remote",
    });
    expect(decideExposure({ host: "0.0.0.0", token: undefined, allowedHosts: [] })).toMatchObject({ ok: false });
    expect(decideExposure({ host: "0.0.0.0", token: "t", allowedHosts: [] })).toMatchObject({
      ok: true,
      exposure: "remote",
    });
  });

  it("refuses an allowed host that is not a host name", () => {
    const d = decideExposure({ ...loop, token: "t", allowedHosts: ["https://podcasts.example.com/"] });
    expect(!d.ok && d.message).toMatch(
      /PODCAST_MCP_ALLOWED_HOSTS: "https:\/\/podcasts\.example\.com\/" is not a host name/,
    );
  });
});
