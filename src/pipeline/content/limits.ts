// Size limits for content, in one place so the service (at submission) and the pipeline (at run
// time) refuse the same things with the same words.

/** Plain text an episode may be written from. ~200k chars is ~50k tokens: beyond that an outline stops being a summary. */
export const MAX_CONTENT_CHARS = 200_000;
/** Raw bytes read from one file or URL before extraction (HTML is mostly markup, so this is larger). */
export const MAX_SOURCE_BYTES = 5 * 1024 * 1024;
/** How long one URL may take to answer and send its body. */
export const URL_TIMEOUT_MS = 15_000;
/** A ready script: turns and characters per turn (OpenAI TTS takes at most 4096 characters per request). */
export const MAX_SCRIPT_TURNS = 2_000;
export const MAX_TURN_CHARS = 4_000;
