/**
 * Flux's time-based message index: `max(nowMillis << 16, lastIndex + 1)`, strictly increasing per
 * partition even if the clock steps back, up to 65,536 messages per millisecond. A scheduled
 * message asks for its deadline's index instead of the clock's. Indexes (~1.2e17) exceed 2^53, so
 * they are `bigint` everywhere in the hub.
 */

const SHIFT = 16n;

/**
 * The index of a message appended after `lastIndex` that asks for `requested`: the clock's
 * `minIndexFromMillis(now)`, or for a scheduled message its deadline's. `requested` when it is
 * above `lastIndex`, else the next free index, so indexes stay strictly increasing.
 */
export function requestedIndex(lastIndex: bigint, requested: bigint): bigint {
  return requested > lastIndex ? requested : lastIndex + 1n;
}

/** The epoch milliseconds an index was assigned at. */
export function millisFromIndex(index: bigint): number {
  return Number(index >> SHIFT);
}

/** The smallest index that can be assigned at `millis`. */
export function minIndexFromMillis(millis: number): bigint {
  return BigInt(Math.floor(millis)) << SHIFT;
}

/** The largest index that can be assigned at `millis` (Flux `maxIndexFromMillis`). */
export function maxIndexFromMillis(millis: number): bigint {
  return (BigInt(Math.floor(millis)) << SHIFT) + 65535n;
}
