// The ElevenLabs fake lives in src/ (compiled, so the benchmark can use it too); tests import it from here.
export * from "../../src/testing/fakes/elevenlabs.js";
export type { FailureStep, SpeechFake, SpeechFakeStats } from "../../src/testing/fakes/speech-common.js";
