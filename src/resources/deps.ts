// What the resources read: the podcast service, and where the HTTP server answers when one runs
// (so a file too large for an MCP message can be pointed to by an absolute URL).
import type { PodcastService } from "../podcasts/service.js";

export interface ResourceDeps {
  podcasts: PodcastService;
  /** e.g. http://127.0.0.1:3333, when this process also serves HTTP. */
  httpBaseUrl?: string | undefined;
  /** The query string podcast apps must send when a token guards HTTP (`?token=…`), else "". */
  httpTokenQuery?: string | undefined;
}
