// The files one episode is published as, by kind. The audio stage writes them under these names;
// the service, the HTTP routes and the resources read them by kind, so a name is spelled once.
export const EPISODE_FILES = {
  mp3: "audio.mp3",
  json: "transcript.json",
  vtt: "transcript.vtt",
  md: "transcript.md",
} as const;
export type EpisodeFileKind = keyof typeof EPISODE_FILES;
