/**
 * The Flux results of tracker requests: `ReadResult{messageBatch}` and `ClaimSegmentResult`, with
 * stored message JSON embedded as is.
 */
import type { FluxResult } from "../protocol/endpoint";
import { rawMessages } from "../protocol/frames";
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
