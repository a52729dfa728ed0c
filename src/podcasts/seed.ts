// Profiles a fresh install starts with. They work with no API key: providers are "auto" (OpenAI
// when configured, else the built-in engines) and the voices are the built-in ones, mapped to
// OpenAI voices at run time by voice-map.ts. Seeding only creates what is missing, so a profile
// the user edited is never overwritten and a second start changes nothing.
import type { Db } from "../db/index.js";
import type { EpisodeProfile, SpeakerProfile } from "../core/model.js";
import { createProfileIfMissing } from "./profiles.js";

// An empty model means the writer endpoint's: LLM_MODEL, else gpt-4o-mini (so Ollama & co. need no profile edit).
const LLM = { outline_provider: "auto", outline_model: "", transcript_provider: "auto", transcript_model: "" } as const;

export const SEED_SPEAKER_PROFILES: SpeakerProfile[] = [
  {
    name: "tech_experts",
    description:
      "Two technology experts: a host who asks the questions a curious listener would, and an engineer who answers with concrete detail.",
    tts_provider: "auto",
    tts_model: "",
    speakers: [
      {
        name: "Alex",
        voice_id: "rms",
        backstory: "Host of a weekly technology show; former software engineer.",
        personality: "Curious, upbeat, sums up what was said before moving on.",
      },
      {
        name: "Sam",
        voice_id: "slt",
        backstory: "Principal engineer who has built and run large systems.",
        personality: "Precise and practical; explains with examples and trade-offs.",
      },
    ],
  },
  {
    name: "solo_expert",
    description: "One expert explaining a topic on their own, like a short lecture.",
    tts_provider: "auto",
    tts_model: "",
    speakers: [
      {
        name: "Sam",
        voice_id: "slt",
        backstory: "Teacher and writer who explains hard subjects plainly.",
        personality: "Calm, clear, structured; uses everyday analogies.",
      },
    ],
  },
  {
    name: "business_panel",
    description: "A moderator and two analysts discussing the business side: markets, money and strategy.",
    tts_provider: "auto",
    tts_model: "",
    speakers: [
      {
        name: "Morgan",
        voice_id: "rms",
        backstory: "Business journalist who moderates panels.",
        personality: "Keeps the discussion moving; asks for numbers and consequences.",
      },
      {
        name: "Priya",
        voice_id: "slt",
        backstory: "Financial analyst covering technology companies.",
        personality: "Data-driven, cautious about hype.",
      },
      {
        name: "Jordan",
        voice_id: "awb",
        backstory: "Founder who has started and sold two companies.",
        personality: "Optimistic, speaks from experience, likes bold calls.",
      },
    ],
  },
];

export const SEED_EPISODE_PROFILES: EpisodeProfile[] = [
  {
    name: "tech_discussion",
    description: "Two experts talk a technical subject through: what it is, how it works, what it means in practice.",
    speaker_profile: "tech_experts",
    ...LLM,
    language: "en",
    default_briefing:
      "Create an engaging technical discussion of the content. Explain the key ideas accurately, give concrete examples, and keep it accessible to a technically curious listener.",
    num_segments: 4,
  },
  {
    name: "solo_expert",
    description: "One expert explains the content in a clear, structured monologue.",
    speaker_profile: "solo_expert",
    ...LLM,
    language: "en",
    default_briefing:
      "Explain the content as a single expert would in a short lecture: the main ideas first, then the details that matter, then a summary.",
    num_segments: 3,
  },
  {
    name: "business_analysis",
    description: "A panel discusses the business implications: market, money, risks and strategy.",
    speaker_profile: "business_panel",
    ...LLM,
    language: "en",
    default_briefing:
      "Analyse the content from a business perspective: the opportunity, the market, the costs and risks, and what a decision maker should do about it.",
    num_segments: 4,
  },
];

/** Creates the missing seed profiles; returns how many were created. Safe to run on every start. */
export async function seedProfiles(db: Db): Promise<number> {
  let created = 0;
  // Speaker profiles first: episode profiles name them.
  for (const p of SEED_SPEAKER_PROFILES) if (await createProfileIfMissing(db, "speaker_profile", p)) created++;
  for (const p of SEED_EPISODE_PROFILES) if (await createProfileIfMissing(db, "episode_profile", p)) created++;
  return created;
}
