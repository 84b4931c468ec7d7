/**
 * The frames the codecs bench works on: one `append` of 1,000 messages as the SDK sends it (JSON
 * text, each payload base64 in its Data), for payloads of 200 B and of 2 KB from the peers bench's
 * generator, uncompressed and LZ4-framed by lz4js as the SDK compressed them so far.
 */
import { encodeRequests } from "../../src/client/codec";
import { serialize } from "../../src/client/messages";
import { payloadPool } from "../shared/payload";
import type { Codec } from "./candidates";

/** Payload sizes of the bench (bytes of each message's JSON). */
export const SIZES = [200, 2048] as const;

/** The JSON of an append of 1,000 messages of `size` bytes, and its LZ4 frame by `reference`. */
export async function appendFrame(size: number, reference: Codec): Promise<{ json: Uint8Array; frame: Uint8Array }> {
  const messages = payloadPool(size).values.map((v) => serialize(v));
  const json = await encodeRequests([{ "@type": "append", requestId: 1, messages, guarantee: "STORED" }], "NONE");
  return { json, frame: reference.compress(json) };
}
