// How a turn is cut into the utterances Flite is given: bounded, nothing lost, cut at the best
// boundary available (sentence, then clause, then word, then inside an over-long "word").
import { describe, expect, it } from "vitest";
import {
  fliteInputFile,
  MAX_UTTERANCE_CHARS,
  normalizeSpace,
  utterances,
} from "../../src/providers/tts/builtin/utterances.js";

const SENTENCE = "Welcome back to the show, where a notebook of scattered ideas becomes a conversation worth hearing.";
const repeat = (s: string, chars: number) => {
  let out = "";
  while (out.length < chars) out += `${s} `;
  return out.slice(0, chars).trim();
};

/** Every piece fits, and the pieces joined by spaces are exactly the normalised text. */
function expectLossless(text: string, pieces: string[], max = MAX_UTTERANCE_CHARS) {
  for (const p of pieces) {
    expect(p.length).toBeGreaterThan(0);
    expect(p.length).toBeLessThanOrEqual(max);
    expect(p).toBe(p.trim());
  }
  expect(pieces.join(" ")).toBe(normalizeSpace(text));
}

describe("utterances for Flite", () => {
  it("leaves a short turn whole and collapses its whitespace", () => {
    expect(utterances("  Hello there.\n\n  How are\tyou?  ")).toEqual(["Hello there. How are you?"]);
    expect(utterances(" \n\t ")).toEqual([]);
  });

  it("cuts long prose only at sentence ends", () => {
    const text = repeat(SENTENCE, 3000);
    const pieces = utterances(text);
    expectLossless(text, pieces);
    expect(pieces.length).toBeGreaterThanOrEqual(Math.ceil(3000 / MAX_UTTERANCE_CHARS));
    for (const p of pieces.slice(0, -1)) expect(p).toMatch(/\.$/);
  });

  it("cuts a sentence longer than the limit at clause marks before words", () => {
    const clause = "and then the queue hands the job back to another worker, ";
    const text = `${repeat(clause, 900)}.`;
    const pieces = utterances(text);
    expectLossless(text, pieces);
    for (const p of pieces.slice(0, -1)) expect(p).toMatch(/,$/);
  });

  it("cuts 1,440 characters without any punctuation between words", () => {
    const text = repeat("welcome back to the show today we look at how notebooks become conversations", 1440);
    const pieces = utterances(text);
    expectLossless(text, pieces);
    expect(pieces.length).toBeGreaterThanOrEqual(5);
    const words = new Set(text.split(" "));
    for (const p of pieces) for (const w of p.split(" ")) expect(words.has(w)).toBe(true);
  });

  it("cuts system-file lines, and a 4,000-character token with no space at all", () => {
    const passwd = Array.from(
      { length: 11 },
      (_, i) => `user${i}:x:${1000 + i}:${1000 + i}:User ${i}:/home/user${i}:/bin/bash`,
    ).join("\n");
    expectLossless(passwd, utterances(passwd));
    const blob = "aB3xZ9qL".repeat(500);
    const pieces = utterances(blob);
    expect(pieces.join("")).toBe(blob);
    expect(pieces).toHaveLength(Math.ceil(4000 / MAX_UTTERANCE_CHARS));
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(MAX_UTTERANCE_CHARS);
  });

  it("writes one utterance per paragraph: a blank line is Flite's utterance break", () => {
    const text = repeat(SENTENCE, 700);
    const file = fliteInputFile(text);
    expect(file.split("\n\n").map((s) => s.trim())).toEqual(utterances(text));
    expect(file).not.toMatch(/\n{3}/);
    expect(file.endsWith("\n")).toBe(true);
  });
});
