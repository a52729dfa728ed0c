// Streamable HTTP: the same flow as stdio; the audio URL serves byte ranges; the feed is RSS 2.0
// with enclosures; a non-loopback bind refuses requests without the token or with a bad Host.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import http from "node:http";
import { readFileSync } from "node:fs";
import { Client } from "@modelcontextprotocol/client";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { cleanEnv, spawnCli, stopAll, stopProc, tmpDataDir, waitFor, type Proc } from "../helpers/procs.js";
import { stopDaemon, structured } from "../helpers/mcp.js";

let dataDir: string;
let loop: Proc;
let open: Proc;
let loopUrl: string;
let openPort: number;
const TOKEN = "test-token-123";

async function listening(p: Proc): Promise<string> {
  return waitFor(() => /listening on (http:\/\/\S+)\/mcp/.exec(p.stderr())?.[1], 60_000);
}

function raw(
  port: number,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path, method: "GET", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  dataDir = tmpDataDir();
  loop = spawnCli(["serve", "--http", "--port", "0"], cleanEnv({ PODCAST_MCP_DATA_DIR: dataDir }));
  loopUrl = await listening(loop);
  open = spawnCli(
    ["serve", "--http", "--host", "0.0.0.0", "--port", "0"],
    cleanEnv({ PODCAST_MCP_DATA_DIR: dataDir, PODCAST_MCP_TOKEN: TOKEN }),
  );
  openPort = Number(new URL(await listening(open)).port);
});

afterAll(async () => {
  // servers first, then the daemon they share, then the temp dir (stopAll removes it)
  await Promise.all([loop, open].filter(Boolean).map((p) => stopProc(p)));
  await stopDaemon(dataDir);
  await stopAll();
});

describe("HTTP", () => {
  let episodeId = "";
  let audioFile = "";

  it("runs the generate flow over Streamable HTTP", async () => {
    const client = new Client({ name: "http-test", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${loopUrl}/mcp`)));
    const sub = structured<{ job_id: string; episode_id: string }>(
      await client.callTool({
        name: "generate_podcast",
        arguments: {
          episode_profile: "tech_discussion",
          episode_name: "Tides & <Moons>",
          content:
            "The moon pulls on the oceans. That pull makes the tides rise and fall twice a day. Spring tides come when sun and moon line up.",
        },
      }),
    );
    let status = "";
    const deadline = Date.now() + 120_000;
    while (!["completed", "failed", "canceled"].includes(status) && Date.now() < deadline) {
      status = structured<{ status: string }>(
        await client.callTool({ name: "get_job_status", arguments: { job_id: sub.job_id, wait_seconds: 5 } }),
      ).status;
    }
    expect(status).toBe("completed");
    const ep = JSON.parse(
      ((await client.readResource({ uri: `podcast://episodes/${sub.episode_id}` })).contents[0] as { text: string })
        .text,
    );
    episodeId = sub.episode_id;
    audioFile = ep.audio_file;
    await client.close();
  });

  it("serves the audio with byte ranges", async () => {
    const port = Number(new URL(loopUrl).port);
    const whole = readFileSync(audioFile);
    const key = episodeId.replace(/^episode:/, "");
    const full = await raw(port, `/episodes/${key}/audio.mp3`, {});
    expect(full.status).toBe(200);
    expect(full.headers["accept-ranges"]).toBe("bytes");
    expect(full.body.equals(whole)).toBe(true);
    const part = await raw(port, `/episodes/${key}/audio.mp3`, { Range: "bytes=100-1099" });
    expect(part.status).toBe(206);
    expect(part.headers["content-range"]).toBe(`bytes 100-1099/${whole.length}`);
    expect(part.body.equals(whole.subarray(100, 1100))).toBe(true);
    const tail = await raw(port, `/episodes/${key}/audio.mp3`, { Range: "bytes=-10" });
    expect(tail.body.equals(whole.subarray(whole.length - 10))).toBe(true);
    expect((await raw(port, `/episodes/${key}/audio.mp3`, { Range: `bytes=${whole.length + 5}-` })).status).toBe(416);
    expect((await raw(port, `/episodes/..%2F..%2Fetc%2Fpasswd/audio.mp3`, {})).status).toBe(404);
  });

  it("publishes an RSS 2.0 feed with enclosures", async () => {
    const port = Number(new URL(loopUrl).port);
    const feed = await raw(port, "/feed.xml", {});
    expect(feed.status).toBe(200);
    expect(feed.headers["content-type"]).toMatch(/rss\+xml/);
    const xml = feed.body.toString("utf8");
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\s*<rss version="2.0"/);
    expect(xml).toMatch(
      /<channel>[\s\S]*<title>[^<]+<\/title>[\s\S]*<link>[^<]+<\/link>[\s\S]*<description>[^<]*<\/description>/,
    );
    const item = /<item>([\s\S]*?)<\/item>/.exec(xml)?.[1] ?? "";
    expect(item).toContain("Tides &amp; &lt;Moons&gt;");
    const enc = /<enclosure url="([^"]+)" length="(\d+)" type="audio\/mpeg"\/>/.exec(item);
    expect(enc).not.toBeNull();
    expect(Number(enc![2])).toBe(readFileSync(audioFile).length);
    const encUrl = new URL(enc![1]!.replace(/&amp;/g, "&"));
    expect((await raw(Number(encUrl.port), encUrl.pathname, {})).status).toBe(200);
    // well-formed: every opened element is closed in order
    const stack: string[] = [];
    for (const m of xml.matchAll(/<(\/?)([A-Za-z][\w:]*)[^>]*?(\/?)>/g)) {
      if (m[3] === "/") continue;
      if (m[1] === "/") expect(stack.pop()).toBe(m[2]);
      else stack.push(m[2]!);
    }
    expect(stack).toEqual([]);
  });

  it("refuses requests without the token or with a bad Host on a non-loopback bind", async () => {
    const init = JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "x", version: "1" } },
    });
    const post = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = http.request(
          {
            host: "127.0.0.1",
            port: openPort,
            path: "/mcp",
            method: "POST",
            headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on("error", reject);
        req.end(init);
      });
    expect(await post({ host: `127.0.0.1:${openPort}` })).toBe(401);
    expect(await post({ host: `127.0.0.1:${openPort}`, authorization: "Bearer wrong" })).toBe(401);
    expect(await post({ host: "evil.example.com", authorization: `Bearer ${TOKEN}` })).toBe(403);
    expect(
      await post({
        host: `127.0.0.1:${openPort}`,
        authorization: `Bearer ${TOKEN}`,
        origin: "http://evil.example.com",
      }),
    ).toBe(403);
    expect(await post({ host: `127.0.0.1:${openPort}`, authorization: `Bearer ${TOKEN}` })).toBe(200);
    // loopback bind: a rebinding page's Host is refused too
    const lp = Number(new URL(loopUrl).port);
    expect((await raw(lp, "/feed.xml", { host: "attacker.example:80" })).status).toBe(403);
  });

  it("on a non-loopback bind, refuses local files as sources (the caller may be another machine)", async () => {
    const client = new Client({ name: "remote-test", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${openPort}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${TOKEN}` } },
      }),
    );
    const res = (await client.callTool({
      name: "generate_podcast",
      arguments: { episode_profile: "tech_discussion", episode_name: "x", sources: [{ file: "/etc/hostname" }] },
    })) as {
      isError?: boolean;
      content: { text: string }[];
    };
    expect(res.isError).toBe(true);
    expect(res.content[0]!.text).toMatch(/sources\[0\]\.file: local files are not read/);
    const nb = (await client.callTool({ name: "create_notebook", arguments: { name: "remote" } }))
      .structuredContent as { id: string };
    const add = (await client.callTool({
      name: "add_source",
      arguments: { notebook_id: nb.id, source: { url: "http://127.0.0.1:1/private" } },
    })) as { isError?: boolean; content: { text: string }[] };
    expect(add.isError).toBe(true);
    expect(add.content[0]!.text).toMatch(/private or loopback address.*only public hosts/);
    await client.close();
  });

  it("refuses to start on a non-loopback bind without a token", async () => {
    const p = spawnCli(
      ["serve", "--http", "--host", "0.0.0.0", "--port", "0"],
      cleanEnv({ PODCAST_MCP_DATA_DIR: dataDir }),
    );
    const { code } = await p.exited;
    expect(code).toBe(2);
    expect(p.stderr()).toMatch(/PODCAST_MCP_TOKEN/);
  });
});
