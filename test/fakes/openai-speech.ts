// The OpenAI speech fake lives in src/ (compiled, so the benchmark can use it too); tests import it from here.
export * from "../../src/testing/fakes/openai-speech.js";
export type { FailureStep, SpeechFake, SpeechFakeStats } from "../../src/testing/fakes/speech-common.js";
