// A turn longer than one TTS request allows is split at sentence ends (else at spaces) into turns
// of the same speaker, so OpenAI's 4096-character limit never fails a job late in the speech stage.
import type { Turn } from "../core/model.js";

export function splitLongTurn(turn: Turn, maxChars: number): Turn[] {
  if (turn.text.length <= maxChars) return [turn];
  const pieces: string[] = [];
  let rest = turn.text;
  while (rest.length > maxChars) {
    const window = rest.slice(0, maxChars);
    let cut = Math.max(
      window.lastIndexOf(". "),
      window.lastIndexOf("! "),
      window.lastIndexOf("? "),
      window.lastIndexOf("\n"),
    );
    if (cut < maxChars / 2) cut = window.lastIndexOf(" ");
    if (cut <= 0) cut = maxChars - 1; // one enormous word: cut anywhere
    pieces.push(rest.slice(0, cut + 1).trim());
    rest = rest.slice(cut + 1).trim();
  }
  if (rest) pieces.push(rest);
  return pieces.filter(Boolean).map((text) => ({ ...turn, text }));
}
