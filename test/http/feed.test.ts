// The feed is XML 1.0 whatever the episode names hold, and carries the tags podcast apps require.
import { describe, expect, it } from "vitest";
import { renderFeed, type FeedEpisode } from "../../src/http/feed.js";
import { xmlSafe } from "../../src/http/xml.js";
import { kids, only, parseXml } from "./xml-parse.js";

const episode = (name: string, n: number): FeedEpisode => ({
  id: `episode:ep${n}`,
  name,
  description: `About ${name}`,
  created: "2026-03-01T10:00:00Z",
  duration: 3725,
  bytes: 1234,
  audioUrl: `http://127.0.0.1:3333/episodes/ep${n}/audio.mp3?token=a&b`,
  transcriptUrl: `http://127.0.0.1:3333/episodes/ep${n}/transcript.vtt`,
  chaptersUrl: `http://127.0.0.1:3333/episodes/ep${n}/chapters.json`,
});

const feed = (episodes: FeedEpisode[]) =>
  renderFeed({
    title: "Show",
    description: "Shows",
    link: "http://127.0.0.1:3333/feed.xml",
    selfUrl: "http://127.0.0.1:3333/feed.xml",
    imageUrl: "http://127.0.0.1:3333/cover.png",
    episodes,
  });

describe("feed.xml", () => {
  it("stays well-formed with characters XML 1.0 forbids in a name (they are dropped)", () => {
    const nasty = "Tides\u0001 \u001b[31mred\uFFFE & <moons> \uD800 \u{1F30A}";
    // the reader itself refuses the raw name: the check can fail
    expect(() => parseXml(`<a>${nasty}</a>`)).toThrow(/forbidden character/);
    const rss = parseXml(feed([episode(nasty, 1)]));
    const item = only(only(rss, "channel"), "item");
    expect(only(item, "title").text).toBe("Tides [31mred & <moons>  \u{1F30A}");
    expect(xmlSafe("a\tb\nc\rd")).toBe("a\tb\nc\rd");
  });

  it("has the channel and item tags Apple and Podcasting 2.0 apps read", () => {
    const rss = parseXml(feed([episode("One", 1), episode("Two", 2)]));
    expect(rss.name).toBe("rss");
    expect(rss.attrs.version).toBe("2.0");
    expect(rss.attrs["xmlns:itunes"]).toBe("http://www.itunes.com/dtds/podcast-1.0.dtd");
    expect(rss.attrs["xmlns:atom"]).toBe("http://www.w3.org/2005/Atom");
    expect(rss.attrs["xmlns:podcast"]).toBe("https://podcastindex.org/namespace/1.0");
    const ch = only(rss, "channel");
    for (const t of ["title", "link", "description", "language"]) expect(only(ch, t).text).not.toBe("");
    expect(only(ch, "itunes:image").attrs.href).toBe("http://127.0.0.1:3333/cover.png");
    expect(only(ch, "itunes:category").attrs.text).toBe("Technology");
    expect(only(ch, "itunes:explicit").text).toBe("false");
    expect(only(ch, "atom:link").attrs).toEqual({
      href: "http://127.0.0.1:3333/feed.xml",
      rel: "self",
      type: "application/rss+xml",
    });
    const items = kids(ch, "item");
    expect(items).toHaveLength(2);
    for (const item of items) {
      expect(only(item, "guid").text).toMatch(/^episode:ep\d$/);
      expect(only(item, "enclosure").attrs).toMatchObject({ length: "1234", type: "audio/mpeg" });
      expect(only(item, "enclosure").attrs.url).toMatch(/audio\.mp3\?token=a&b$/);
      expect(only(item, "itunes:duration").text).toBe("01:02:05");
      expect(new Date(only(item, "pubDate").text).toISOString()).toBe("2026-03-01T10:00:00.000Z");
      expect(only(item, "podcast:transcript").attrs.type).toBe("text/vtt");
      expect(only(item, "podcast:chapters").attrs.type).toBe("application/json+chapters");
    }
  });
});
