// GET /feed.xml: an RSS 2.0 feed of completed episodes with enclosures, for podcast apps.
export interface FeedEpisode {
  id: string;
  name: string;
  description: string;
  created: string;
  duration: number; // seconds
  bytes: number;
  audioUrl: string;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");

function hms(seconds: number): string {
  const s = Math.round(seconds);
  return [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60].map((n) => String(n).padStart(2, "0")).join(":");
}

export function renderFeed(opts: { title: string; link: string; description: string; episodes: FeedEpisode[] }): string {
  const items = opts.episodes
    .map(
      (e) => `    <item>
      <title>${esc(e.name)}</title>
      <description>${esc(e.description)}</description>
      <guid isPermaLink="false">${esc(e.id)}</guid>
      <pubDate>${new Date(e.created).toUTCString()}</pubDate>
      <enclosure url="${esc(e.audioUrl)}" length="${e.bytes}" type="audio/mpeg"/>
      <itunes:duration>${hms(e.duration)}</itunes:duration>
    </item>`,
    )
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
  <channel>
    <title>${esc(opts.title)}</title>
    <link>${esc(opts.link)}</link>
    <description>${esc(opts.description)}</description>
    <language>en</language>
    <generator>podcast-mcp</generator>
${items}
  </channel>
</rss>
`;
}
