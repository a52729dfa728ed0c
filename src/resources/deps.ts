// What the resources read: the podcast service, nothing else.
import type { PodcastService } from "../podcasts/service.js";

export interface ResourceDeps {
  podcasts: PodcastService;
}
