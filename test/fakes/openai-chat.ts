// The OpenAI chat-completions fake lives in src/ (compiled, so benches can use it too); tests import it from here.
export * from "../../src/testing/fakes/openai-chat.js";
