/**
 * Segments: Flux's consistent hashing of routing keys onto 128 segments, and the contiguous
 * segment ranges that partitions and trackers own.
 */
import murmur from "murmurhash3js-revisited";

/** Number of segments in every log (Flux `Position.MAX_SEGMENT`). */
export const MAX_SEGMENT = 128;

/** A half-open segment range `[start, end)`, as Flux writes it on the wire. */
export type SegmentRange = [number, number];

/** The empty range Flux hands to trackers that own nothing. */
export const EMPTY_RANGE: SegmentRange = [0, 0];

/** The range covering every segment. */
export const FULL_RANGE: SegmentRange = [0, MAX_SEGMENT];

const utf8 = new TextEncoder();

/**
 * Flux's segment of a routing key: `abs(murmur3_x86_32(utf8(key), seed 0)) % 128`.
 * Java's `Math.abs` of a signed int; `abs(MIN_VALUE)` stays negative in Java, but its
 * remainder is 0 either way, so the JavaScript result matches.
 */
export function segmentOf(routingKey: string): number {
  const unsigned: number = murmur.x86.hash32(utf8.encode(routingKey), 0);
  return Math.abs(unsigned | 0) % MAX_SEGMENT;
}

/** Reduces a client-supplied segment into range, as Flux does (`segment % 128`). */
export function normaliseSegment(segment: number): number {
  return ((segment % MAX_SEGMENT) + MAX_SEGMENT) % MAX_SEGMENT;
}

/** Whether `segment` lies in `range`. */
export function inRange(range: SegmentRange, segment: number): boolean {
  return segment >= range[0] && segment < range[1];
}

/** The overlap of two ranges, or `null` when they do not overlap. */
export function intersect(a: SegmentRange, b: SegmentRange): SegmentRange | null {
  const start = Math.max(a[0], b[0]);
  const end = Math.min(a[1], b[1]);
  return start < end ? [start, end] : null;
}
