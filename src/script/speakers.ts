// Speaker names as the profile spells them. Writers and agents get the case wrong ("alice" for
// "Alice"); that is not worth failing a job over, but a name the profile does not have is.
import type { SpeakerProfile } from "../core/model.js";

export type SpeakerLookup = (name: string) => string | undefined;

export function speakerLookup(profile: SpeakerProfile): SpeakerLookup {
  const byKey = new Map(profile.speakers.map((s) => [s.name.trim().toLowerCase(), s.name] as const));
  return (name) => (typeof name === "string" ? byKey.get(name.trim().toLowerCase()) : undefined);
}

export function speakerList(profile: SpeakerProfile): string {
  return profile.speakers.map((s) => s.name).join(", ");
}
