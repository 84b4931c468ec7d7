/**
 * The Flux results of tracker requests: `ReadResult{messageBatch}` and `ClaimSegmentResult`, with
 * stored message JSON embedded as is, or compressed ahead and framed around when sent.
 */
import type { FluxResult } from "../protocol/endpoint";
import { rawMessages } from "../protocol/frames";
import { type Lz4Block, lz4Around, lz4Block } from "../protocol/lz4-splice";
import type { SegmentRange } from "../protocol/segment";
import type { LeaseAnswer } from "../log/parked-reads";
import type { Position } from "./position";

/** A batch for one tracker: messages (complete JSON texts) of one segment range. */
export interface Batch {
  segment: SegmentRange;
  messages: string[];
  lastIndex: bigint | null;
  position: Position;
  caughtUp: boolean;
}

/** The `ReadResult` body for a batch. */
export function readResult(batch: Batch): FluxResult {
  return {
    "@type": "readResult",
    messageBatch: {
      segment: batch.segment,
      messages: rawMessages(batch.messages),
      lastIndex: batch.lastIndex,
      position: batch.position.toJSON(),
      caughtUp: batch.caughtUp,
    },
  };
}

/** The `ClaimSegmentResult` body. */
export function claimSegmentResult(segment: SegmentRange, position: Position): FluxResult {
  return { "@type": "claimSegmentResult", segment, position: position.toJSON() };
}

/** The `ReadResult` body of a lease's answer (the batch a partition built from its log). */
export function leaseResult(answer: LeaseAnswer): FluxResult {
  return {
    "@type": "readResult",
    messageBatch: {
      segment: answer.lease.segment,
      messages: rawMessages(answer.messages),
      lastIndex: answer.lastIndex,
      position: answer.lease.position,
      caughtUp: answer.caughtUp,
    },
  };
}

const utf8 = new TextEncoder();
/** Where a lease result without messages holds them: the first `"messages"` key, after `@type` and `segment`. */
const NO_MESSAGES = '"messages":[]';

/** A batch's messages as its ReadResult embeds them, compressed for {@link packedFrame}. */
export function packMessages(messages: string[]): Lz4Block {
  return lz4Block(utf8.encode(rawMessages(messages).text));
}

/**
 * The LZ4 frame of a lease result whose messages were packed ahead: `text` is the result as sent
 * (requestId and timestamp included) made with no messages, and the packed ones go in their place.
 */
export function packedFrame(text: string, packed: Lz4Block): Uint8Array {
  const found = text.indexOf(NO_MESSAGES);
  if (found === -1) throw new Error("a lease result without messages has no empty messages array");
  const at = found + NO_MESSAGES.length - 2;
  return lz4Around(utf8.encode(text.slice(0, at)), packed, utf8.encode(text.slice(at + 2)));
}
