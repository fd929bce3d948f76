/**
 * The voice measure (docs/decisions/019): how close a piece of copy sits to the
 * merchant's own, from two things kept side by side: the local embedding model's
 * cosine similarity (what it talks about and how) and style statistics (sentence
 * length, reading level, vocabulary, formatting). The score is their mean; voice
 * drift is one minus the prompting candidate's score.
 */
import { htmlToText } from "../../catalog/html-to-text";
import { cosine } from "../../providers/normalize-vector";
import { splitSentences } from "../../retrieval/text";
import type { StyleStats, VoiceScore } from "./types";

const LATIN = /^[\p{Script=Latin}\p{N}'’-]+$/u;

/** Vowel groups: a syllable estimate good enough to rank reading levels of Latin-script copy. */
function syllables(word: string): number {
  const groups = word.toLowerCase().match(/[aeiouyàáâäèéêëìíîïòóôöùúûüœæ]+/g);
  return Math.max(1, groups?.length ?? 1);
}

export function styleStats(html: string): StyleStats {
  const text = htmlToText(html);
  const words = text.match(/[\p{L}\p{N}'’-]+/gu) ?? [];
  const sentences = Math.max(1, splitSentences(text).length);
  const wordCount = words.length;
  const perSentence = wordCount / sentences;
  const latin = words.filter((w) => LATIN.test(w));
  // Flesch-Kincaid grade on Latin scripts; elsewhere characters per word stand in for syllables.
  const syllablesPerWord = latin.length >= wordCount / 2 && latin.length > 0 ? latin.reduce((s, w) => s + syllables(w), 0) / latin.length : words.reduce((s, w) => s + w.length, 0) / Math.max(1, wordCount) / 3;
  const readingLevel = wordCount === 0 ? 0 : Math.max(0, 0.39 * perSentence + 11.8 * syllablesPerWord - 15.59);
  const distinct = new Set(words.map((w) => w.toLowerCase())).size;
  return {
    words: wordCount,
    sentences,
    sentenceLength: round(perSentence),
    readingLevel: round(readingLevel),
    vocabulary: round(wordCount ? distinct / Math.sqrt(wordCount) : 0),
    paragraphs: (html.match(/<p>/g) ?? []).length,
    listItems: (html.match(/<li>/g) ?? []).length,
    emphasis: (html.match(/<(strong|b|em|i)>/g) ?? []).length,
  };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** 1 when equal, falling to 0 as one is twice (or more) the other. */
function closeness(a: number, b: number): number {
  const top = Math.max(Math.abs(a), Math.abs(b));
  if (top === 0) return 1;
  return Math.max(0, 1 - Math.abs(a - b) / top);
}

/** Style statistics compared feature by feature; formatting counts as one feature. */
export function styleCloseness(candidate: StyleStats, reference: StyleStats): number {
  const formatting = (s: StyleStats) => s.paragraphs + s.listItems + s.emphasis;
  const parts = [
    closeness(candidate.sentenceLength, reference.sentenceLength),
    closeness(candidate.readingLevel, reference.readingLevel),
    closeness(candidate.vocabulary, reference.vocabulary),
    closeness(candidate.words, reference.words),
    closeness(formatting(candidate), formatting(reference)),
  ];
  return round(parts.reduce((s, p) => s + p, 0) / parts.length);
}

/** The voice score of one candidate against the merchant's copy, given both embeddings. */
export function voiceScore(candidateHtml: string, referenceHtml: string, candidateVector: number[], referenceVector: number[]): VoiceScore {
  const stats = styleStats(candidateHtml);
  const similarity = round(Math.max(0, cosine(candidateVector, referenceVector)));
  const style = styleCloseness(stats, styleStats(referenceHtml));
  return { similarity, style, score: round((similarity + style) / 2), stats };
}
