// The audio stage's public surface: callers import from here, not from the individual files.
export { assembleEpisode, type AssembleInput, type AssembledEpisode, type SpeakerLevel } from "./assemble.js";
export { heldClip, type ClipSource } from "./clip-source.js";
export { joinClips, type Clip, type JoinOptions, type JoinedEpisode } from "./join.js";
export { integratedLoudness, truePeak } from "./loudness.js";
export { normalize, normalizeAsync, type NormalizeOptions, type NormalizeResult } from "./normalize.js";
export { encodeMp3, type Mp3Bitrate, type Mp3Summary } from "./mp3.js";
export { id3Tag, readTags, readChapters, type EpisodeMeta } from "./id3.js";
export { EPISODE_SAMPLE_RATE, pcm16ToFloat, resample } from "./resample.js";
export { toJson, toMarkdown, toWebVtt, type TranscriptDoc } from "./transcript-files.js";
