// GET /feed.xml: an RSS 2.0 feed of completed episodes with the tags podcast apps and directories
// look for: Apple's (itunes:image, itunes:category, itunes:explicit), the RSS Advisory Board's
// atom:link rel="self", and Podcasting 2.0's podcast:transcript and podcast:chapters.
import { xmlText as esc } from "./xml.js";
import { CHAPTERS_MIME } from "./chapters.js";

export interface FeedEpisode {
  id: string;
  name: string;
  description: string;
  created: string;
  duration: number; // seconds
  bytes: number;
  audioUrl: string;
  transcriptUrl: string;
  chaptersUrl: string;
}

export interface FeedChannel {
  title: string;
  description: string;
  /** The feed's own URL (atom:link rel="self"). */
  selfUrl: string;
  /** A page for the show; the feed itself when there is none. */
  link: string;
  imageUrl: string;
  episodes: FeedEpisode[];
}

const NAMESPACES = [
  'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"',
  'xmlns:atom="http://www.w3.org/2005/Atom"',
  'xmlns:podcast="https://podcastindex.org/namespace/1.0"',
].join(" ");

function hms(seconds: number): string {
  const s = Math.round(seconds);
  return [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60].map((n) => String(n).padStart(2, "0")).join(":");
}

export function renderFeed(c: FeedChannel): string {
  const items = c.episodes
    .map(
      (e) => `    <item>
      <title>${esc(e.name)}</title>
      <description>${esc(e.description)}</description>
      <guid isPermaLink="false">${esc(e.id)}</guid>
      <pubDate>${new Date(e.created).toUTCString()}</pubDate>
      <enclosure url="${esc(e.audioUrl)}" length="${e.bytes}" type="audio/mpeg"/>
      <itunes:duration>${hms(e.duration)}</itunes:duration>
      <itunes:explicit>false</itunes:explicit>
      <podcast:transcript url="${esc(e.transcriptUrl)}" type="text/vtt"/>
      <podcast:chapters url="${esc(e.chaptersUrl)}" type="${CHAPTERS_MIME}"/>
    </item>`,
    )
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" ${NAMESPACES}>
  <channel>
    <title>${esc(c.title)}</title>
    <link>${esc(c.link)}</link>
    <atom:link href="${esc(c.selfUrl)}" rel="self" type="application/rss+xml"/>
    <description>${esc(c.description)}</description>
    <language>en</language>
    <generator>podcast-mcp</generator>
    <itunes:image href="${esc(c.imageUrl)}"/>
    <itunes:category text="Technology"/>
    <itunes:explicit>false</itunes:explicit>
${items}
  </channel>
</rss>
`;
}
