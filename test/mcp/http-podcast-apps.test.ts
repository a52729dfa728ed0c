// What a podcast app does with the server: read the feed (token in the URL, as apps cannot send
// headers), check its tags, fetch every URL in it, seek and resume the audio, revalidate. A real server
// with a token on loopback, and its daemon; the MCP client sends the bearer scheme in lower case.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { cleanEnv, spawnCli, stopAll, stopProc, tmpDataDir, waitFor, type Proc } from "../helpers/procs.js";
import { stopDaemon, structured } from "../helpers/mcp.js";
import { kids, only, parseXml, type XmlElement } from "../http/xml-parse.js";

const TOKEN = "apps-token-&/=42";
const q = `token=${encodeURIComponent(TOKEN)}`;
let dataDir: string;
let server: Proc;
let base = "";
let episodeId = "";

beforeAll(async () => {
  dataDir = tmpDataDir();
  server = spawnCli(
    ["serve", "--http", "--port", "0"],
    cleanEnv({ PODCAST_MCP_DATA_DIR: dataDir, PODCAST_MCP_TOKEN: TOKEN }),
  );
  base = await waitFor(() => /listening on (http:\/\/\S+)\/mcp/.exec(server.stderr())?.[1], 60_000);
  const client = new Client({ name: "apps-test", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
      requestInit: { headers: { authorization: `bearer ${TOKEN}` } },
    }),
  );
  const sub = structured<{ job_id: string; episode_id: string }>(
    await client.callTool({
      name: "generate_podcast",
      arguments: {
        episode_profile: "solo_expert",
        episode_name: "Tides & <Moons>",
        script: [
          { speaker: "Sam", text: "First, why the sea rises twice a day.", segment: 0 },
          { speaker: "Sam", text: "Then, what the moon has to do with it.", segment: 1 },
        ],
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
  episodeId = sub.episode_id.replace(/^episode:/, "");
  await client.close();
});

afterAll(async () => {
  if (server) await stopProc(server);
  await stopDaemon(dataDir);
  await stopAll();
});

const get = (url: string, headers: Record<string, string> = {}) => fetch(url, { headers });

describe("podcast apps", () => {
  let channel: XmlElement;

  it("the feed needs the token, and parses as RSS 2.0 with the tags apps require", async () => {
    expect((await get(`${base}/feed.xml`)).status).toBe(401);
    const res = await get(`${base}/feed.xml?${q}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/rss\+xml/);
    const rss = parseXml(await res.text());
    expect(rss.name).toBe("rss");
    channel = only(rss, "channel");
    for (const t of ["title", "link", "description", "language", "itunes:explicit"])
      expect(only(channel, t).text.trim()).not.toBe("");
    expect(only(channel, "itunes:category").attrs.text).toBeTruthy();
    expect(only(channel, "atom:link").attrs).toMatchObject({ rel: "self", href: `${base}/feed.xml?${q}` });
    const items = kids(channel, "item");
    expect(items.length).toBe(1);
    for (const item of items) {
      expect(only(item, "title").text).toBe("Tides & <Moons>");
      expect(only(item, "guid").text).toBe(`episode:${episodeId}`);
      expect(Number.isNaN(Date.parse(only(item, "pubDate").text))).toBe(false);
      expect(only(item, "itunes:duration").text).toMatch(/^\d\d:\d\d:\d\d$/);
      const enc = only(item, "enclosure").attrs;
      expect(enc.type).toBe("audio/mpeg");
      expect(Number(enc.length)).toBeGreaterThan(1000);
      expect(only(item, "podcast:transcript").attrs.type).toBe("text/vtt");
      expect(only(item, "podcast:chapters").attrs.type).toBe("application/json+chapters");
    }
  });

  it("every URL in the feed answers 200 with the right type (token appended)", async () => {
    const item = only(channel, "item");
    const urls: [string, RegExp][] = [
      [only(channel, "link").text, /rss\+xml/],
      [only(channel, "atom:link").attrs.href!, /rss\+xml/],
      [only(channel, "itunes:image").attrs.href!, /^image\/png$/],
      [only(item, "enclosure").attrs.url!, /^audio\/mpeg$/],
      [only(item, "podcast:transcript").attrs.url!, /^text\/vtt/],
      [only(item, "podcast:chapters").attrs.url!, /^application\/json\+chapters$/],
    ];
    for (const [url, type] of urls) {
      expect(url.endsWith(`?${q}`), url).toBe(true);
      const res = await get(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get("content-type"), url).toMatch(type);
      expect(Number(res.headers.get("content-length")), url).toBe((await res.arrayBuffer()).byteLength);
    }
    const enclosure = await get(only(item, "enclosure").attrs.url!);
    expect((await enclosure.arrayBuffer()).byteLength).toBe(Number(only(item, "enclosure").attrs.length));
    const cover = Buffer.from(await (await get(only(channel, "itunes:image").attrs.href!)).arrayBuffer());
    expect(cover.readUInt32BE(16)).toBeGreaterThanOrEqual(1400); // IHDR width
  });

  it("serves the transcripts and the JSON chapters with their types", async () => {
    const vtt = await get(`${base}/episodes/${episodeId}/transcript.vtt?${q}`);
    expect(vtt.headers.get("content-type")).toBe("text/vtt; charset=utf-8");
    expect(await vtt.text()).toMatch(/^WEBVTT\n\n1\n\d\d:\d\d:\d\d\.\d{3} --> /);
    const json = await get(`${base}/episodes/episode:${episodeId}/transcript.json?${q}`);
    expect(json.headers.get("content-type")).toBe("application/json");
    expect((await json.json()).turns).toHaveLength(2);
    const md = await get(`${base}/episodes/${episodeId}/transcript.md?${q}`);
    expect(md.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    expect(await md.text()).toMatch(/moon has to do with it/);
    const chapters = (await (await get(`${base}/episodes/${episodeId}/chapters.json?${q}`)).json()) as {
      version: string;
      chapters: { startTime: number; title?: string }[];
    };
    expect(chapters.version).toBe("1.2.0");
    expect(chapters.chapters.length).toBe(2);
    expect(chapters.chapters[0]!.startTime).toBeGreaterThanOrEqual(0);
    expect(chapters.chapters[1]!.startTime).toBeGreaterThan(chapters.chapters[0]!.startTime);
    expect((await get(`${base}/episodes/nosuchepisode/chapters.json?${q}`)).status).toBe(404);
    expect((await get(`${base}/episodes/${episodeId}/transcript.txt?${q}`)).status).toBe(404);
  });

  it("audio: multi/garbage ranges: whole file; one range: 206; validators: 304; stale If-Range: 200", async () => {
    const url = `${base}/episodes/${episodeId}/audio.mp3?${q}`;
    const whole = Buffer.from(await (await get(url)).arrayBuffer());
    for (const range of ["bytes=0-9,20-29", "bytes=garbage", "bytes=9-0"]) {
      const res = await get(url, { range });
      expect(res.status, range).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(whole), range).toBe(true);
    }
    const part = await get(url, { range: "bytes=10-19" });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(whole.subarray(10, 20))).toBe(true);
    const first = await get(url);
    await first.arrayBuffer();
    const etag = first.headers.get("etag")!;
    const lastModified = first.headers.get("last-modified")!;
    expect(etag).toMatch(/^"/);
    expect(Date.parse(lastModified)).toBeGreaterThan(0);
    expect((await get(url, { "if-none-match": etag })).status).toBe(304);
    expect((await get(url, { "if-modified-since": lastModified })).status).toBe(304);
    const resumed = await get(url, { range: "bytes=100-", "if-range": etag });
    expect(resumed.status).toBe(206);
    expect(Buffer.from(await resumed.arrayBuffer()).equals(whole.subarray(100))).toBe(true);
    const stale = await get(url, { range: "bytes=100-", "if-range": '"an-older-file"' });
    expect(stale.status).toBe(200);
    expect(Buffer.from(await stale.arrayBuffer()).equals(whole)).toBe(true);
    const feed = await get(`${base}/feed.xml?${q}`);
    await feed.arrayBuffer();
    expect((await get(`${base}/feed.xml?${q}`, { "if-none-match": feed.headers.get("etag")! })).status).toBe(304);
  });
});
