/**
 * An LZ4 frame made around a block compressed earlier: `head + content + tail` without compressing
 * `content` again. A read-ahead batch's messages are compressed while the client is busy, and the
 * ReadResult's own fields (requestId, position, timestamp) are added as literals when it is sent.
 * The block's sequences keep their meaning where they are: offsets point back within the content,
 * so putting bytes before it changes none of them. `head` joins the literals of the first sequence,
 * `tail` those of the last (which has no match), so the result is one valid LZ4 block.
 */
import { lz4Compress } from "./compression";

/** A Flux LZ4 frame (4-byte big-endian length + one block) and where its last sequence starts. */
export interface Lz4Block {
  frame: Uint8Array;
  last: number;
}

/** Compresses `content` into a block that {@link lz4Around} can put bytes around. */
export function lz4Block(content: Uint8Array): Lz4Block {
  const frame = lz4Compress(content);
  return { frame, last: lastSequence(frame) };
}

/** The Flux LZ4 frame of `head + content + tail`, where `block` holds `content`. */
export function lz4Around(head: Uint8Array, block: Lz4Block, tail: Uint8Array): Uint8Array {
  const { frame, last } = block;
  const length = new DataView(frame.buffer, frame.byteOffset, 4).getUint32(0, false);
  const first = sequenceAt(frame, 4);
  const out = new Uint8Array(frame.length + head.length + tail.length + 2 * lengthBytes(head.length + tail.length) + 2);
  new DataView(out.buffer).setUint32(0, length + head.length + tail.length, false);
  let at = 4;
  const literals = (s: Sequence, extra: number, matchNibble: number) => {
    const n = s.literals + extra;
    out[at++] = (Math.min(n, 15) << 4) | matchNibble;
    at = writeLength(out, at, n);
  };
  const put = (bytes: Uint8Array) => {
    out.set(bytes, at);
    at += bytes.length;
  };
  if (first.start === last) {
    // One sequence, literals only: head, content, tail.
    literals(first, head.length + tail.length, 0);
    put(head);
    put(frame.subarray(first.literalsAt, first.literalsAt + first.literals));
  } else {
    literals(first, head.length, frame[4] & 15);
    put(head);
    // The first sequence's literals and match, and every sequence before the last, as they are.
    put(frame.subarray(first.literalsAt, last));
    const end = sequenceAt(frame, last);
    literals(end, tail.length, 0);
    put(frame.subarray(end.literalsAt, end.literalsAt + end.literals));
  }
  put(tail);
  return out.subarray(0, at);
}

interface Sequence {
  start: number;
  literals: number;
  literalsAt: number;
}

/** The sequence whose token is at `start`: its literal count and where its literals begin. */
function sequenceAt(frame: Uint8Array, start: number): Sequence {
  let p = start + 1;
  let literals = frame[start] >> 4;
  if (literals === 15) for (let b = 255; b === 255; literals += b) b = frame[p++];
  return { start, literals, literalsAt: p };
}

/** Where the last sequence of a Flux LZ4 frame starts (the one whose literals end the block). */
function lastSequence(frame: Uint8Array): number {
  let p = 4;
  for (;;) {
    const s = sequenceAt(frame, p);
    const next = s.literalsAt + s.literals;
    if (next >= frame.length) return p;
    // The match: a 2-byte offset, then the rest of its length past the token's nibble.
    p = next + 2;
    if ((frame[s.start] & 15) === 15) while (frame[p++] === 255);
  }
}

/** Extra bytes a length needs past its token nibble. */
function lengthBytes(n: number): number {
  return n < 15 ? 0 : Math.floor((n - 15) / 255) + 1;
}

/** Writes the bytes of a length past its token nibble at `at`; returns where they end. */
function writeLength(out: Uint8Array, at: number, n: number): number {
  if (n < 15) return at;
  let rest = n - 15;
  for (; rest >= 255; rest -= 255) out[at++] = 255;
  out[at++] = rest;
  return at;
}
