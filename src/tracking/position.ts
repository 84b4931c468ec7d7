/**
 * A consumer's position: the last processed index per segment (Flux `Position`). Immutable; every
 * change returns a new position. Indexes are always `bigint` because Flux indexes exceed 2^53.
 */
import { BadRequest } from "../errors";
import { MAX_SEGMENT, type SegmentRange } from "../protocol/segment";
import { parseJson, stringifyJson } from "../protocol/json";

/** An index as it may arrive: `bigint` from the JSON layer when large, `number` when small. */
export type IndexInput = bigint | number;

/** The wire form Java writes: alternating `[start,end]` ranges and the index they share. */
export type PositionJson = Array<SegmentRange | bigint>;

/** Converts an incoming index to `bigint`, rejecting anything that is not an exact integer. */
export function toIndex(value: unknown): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "number" && Number.isSafeInteger(value)) return BigInt(value);
  throw new BadRequest(`Invalid index: ${String(value)}`);
}

function toRange(value: unknown): SegmentRange {
  if (!Array.isArray(value) || value.length !== 2 || !value.every(Number.isInteger)) {
    throw new BadRequest(`Invalid segment range: ${stringifyJson(value)}`);
  }
  const [start, end] = value as [number, number];
  // Java accepts any ints; an empty range (start >= end) is a harmless no-op, out-of-bounds is not.
  if (start < end && (start < 0 || end > MAX_SEGMENT)) {
    throw new BadRequest(`Segment range out of bounds: [${start},${end}]`);
  }
  return [start, end];
}

/** The last processed index per segment for one consumer. */
export class Position {
  private static readonly NONE = new Position(new Array<bigint | undefined>(MAX_SEGMENT).fill(undefined));

  private constructor(private readonly indexes: ReadonlyArray<bigint | undefined>) {}

  /** The empty position of a consumer that never stored one (`Position.newPosition()`). */
  static empty(): Position {
    return Position.NONE;
  }

  /** Every segment of `range` at `index` (`new Position(int[] segment, long index)`). */
  static of(range: SegmentRange, index: IndexInput): Position {
    const [start, end] = toRange(range);
    const value = toIndex(index);
    const indexes = new Array<bigint | undefined>(MAX_SEGMENT).fill(undefined);
    for (let s = start; s < end; s++) indexes[s] = value;
    return new Position(indexes);
  }

  /** All segments at `index`: the position `ResetPosition` installs. */
  static ofAll(index: IndexInput): Position {
    return Position.of([0, MAX_SEGMENT], index);
  }

  /** The last index stored for `segment`, if any (`getIndex`). */
  indexOf(segment: number): bigint | undefined {
    return this.indexes[segment];
  }

  /** Whether no segment of `range` has an index yet (`isNew(int[])`). */
  isNew(range: SegmentRange): boolean {
    return this.lowestIndexForSegment(range) === undefined;
  }

  /** Whether no segment has an index at all. */
  isEmpty(): boolean {
    return this.indexes.every((i) => i === undefined);
  }

  /** The lowest index among the segments of `range` that have one; the log is read after it. */
  lowestIndexForSegment(range: SegmentRange): bigint | undefined {
    let lowest: bigint | undefined;
    for (let s = Math.max(0, range[0]); s < Math.min(MAX_SEGMENT, range[1]); s++) {
      const index = this.indexes[s];
      if (index !== undefined && (lowest === undefined || index < lowest)) lowest = index;
    }
    return lowest;
  }

  /** The per-segment maximum of both positions: positions never move backwards. */
  merge(other: Position): Position {
    const indexes = this.indexes.map((mine, s) => {
      const theirs = other.indexes[s];
      return mine === undefined || (theirs !== undefined && theirs > mine) ? theirs : mine;
    });
    return new Position(indexes);
  }

  /** The segments of `range` that have no index yet at `index`; the others as they are. */
  withDefault(range: SegmentRange, index: IndexInput): Position {
    const value = toIndex(index);
    return new Position(this.indexes.map((mine, s) => (mine === undefined && s >= range[0] && s < range[1] ? value : mine)));
  }

  /** Applies a `StorePosition(range, lastIndex)`: raises segments of `range` to `lastIndex`, never lowers. */
  store(range: SegmentRange, lastIndex: IndexInput): Position {
    return this.merge(Position.of(range, lastIndex));
  }

  /** Whether a message at `index` in `segment` is past the position (`isNewIndex`); a null index counts as new. */
  isNewIndex(segment: number, index: IndexInput | null | undefined): boolean {
    const last = this.indexes[segment];
    return last === undefined || index == null || last < toIndex(index);
  }

  /** Whether `message` is past the position; its segment must already be resolved (`isNewMessage`). */
  isNewMessage(message: { segment: number; index?: IndexInput | null }): boolean {
    return this.isNewIndex(message.segment, message.index);
  }

  /** Contiguous runs of segments sharing one index, in segment order (`splitInSegments`). */
  splitInSegments(): Array<[SegmentRange, bigint]> {
    const runs: Array<[SegmentRange, bigint]> = [];
    this.indexes.forEach((index, s) => {
      if (index === undefined) return;
      const last = runs[runs.length - 1];
      if (last && last[1] === index && last[0][1] === s) last[0][1] = s + 1;
      else runs.push([[s, s + 1], index]);
    });
    return runs;
  }

  /** Whether both positions hold the same index for every segment. */
  equals(other: Position): boolean {
    return this.indexes.every((index, s) => index === other.indexes[s]);
  }

  /** The JSON Java's `PositionSerializer` writes, e.g. `[[0,64],100,[64,128],200]`; `[]` when empty. */
  toJSON(): PositionJson {
    return this.splitInSegments().flatMap(([range, index]) => [range, index]);
  }

  /**
   * Parses either form Java's `PositionDeserializer` accepts: the compact array (ranges merged with
   * max, as Java does) or the legacy `{"indexBySegment":{"0":100,...}}` object (its first field).
   */
  static fromJSON(value: unknown): Position {
    if (Array.isArray(value)) {
      if (value.length % 2 !== 0) throw new BadRequest("Position array must alternate ranges and indexes");
      let position = Position.empty();
      for (let i = 0; i < value.length; i += 2) {
        position = position.merge(Position.of(toRange(value[i]), toIndex(value[i + 1])));
      }
      return position;
    }
    if (value !== null && typeof value === "object") {
      const bySegment = Object.values(value)[0];
      if (bySegment === null || typeof bySegment !== "object" || Array.isArray(bySegment)) {
        throw new BadRequest("Legacy position must be {\"indexBySegment\":{segment:index}}");
      }
      const indexes = new Array<bigint | undefined>(MAX_SEGMENT).fill(undefined);
      for (const [key, index] of Object.entries(bySegment)) {
        const segment = Number(key);
        if (!Number.isInteger(segment) || segment < 0 || segment >= MAX_SEGMENT) {
          throw new BadRequest(`Invalid segment in position: ${key}`);
        }
        // Java keeps null entries but treats them exactly like absent ones.
        if (index !== null) indexes[segment] = toIndex(index);
      }
      return new Position(indexes);
    }
    throw new BadRequest("Position must be an array or an object");
  }

  /** Compact text for storage (the wire form as exact JSON). */
  encode(): string {
    return stringifyJson(this.toJSON());
  }

  /** Reads what `encode` wrote. */
  static decode(text: string): Position {
    return Position.fromJSON(parseJson(text));
  }
}
