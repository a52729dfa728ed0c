// What every tool may reach: the podcast service (domain + queue) and a logger for failures.
import type { Logger } from "../log.js";
import type { PodcastService } from "../podcasts/service.js";

export interface ToolDeps {
  podcasts: PodcastService;
  log: Logger;
}
