import { describe, expect, it } from "vitest";
import { compress, decompress, lz4Compress } from "../../../src/protocol/compression";
import { MAX_FRAME_BYTES, decodeFrame } from "../../../src/protocol/frames";
import { requestIdsIn } from "../../../src/protocol/frame-ids";
import { refusalOf } from "../../../src/protocol/request-check";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("decompression stops at the frame limit (finding 6)", () => {
  it("inflates a GZIP bomb only up to the limit", async () => {
    // 64 MiB of spaces gzip to ~64 KB; before, they inflated in full before the size check.
    const bomb = await compress(new Uint8Array(64 * 1024 * 1024).fill(0x20), "GZIP");
    expect(bomb.length).toBeLessThan(200_000);
    await expect(decompress(bomb, "GZIP", MAX_FRAME_BYTES)).rejects.toThrow(/inflates past 16777216/);
    await expect(decodeFrame(bomb.buffer as ArrayBuffer, "GZIP")).rejects.toThrow(/inflates past/);
  });

  it("refuses an LZ4 frame claiming more than the limit before allocating it", async () => {
    const frame = lz4Compress(bytes("{}"));
    new DataView(frame.buffer, frame.byteOffset).setUint32(0, MAX_FRAME_BYTES + 1, false);
    await expect(decompress(frame, "LZ4", MAX_FRAME_BYTES)).rejects.toThrow(/claims 16777217 bytes/);
  });

  it("answers the requests of an oversized frame under their own requestIds (finding 10)", async () => {
    // 20 requests of 1 MiB each: the 16 whose requestId lies in the first 16 MiB can be told.
    const pad = Array.from({ length: 1024 * 1024 }, (_, i) => "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[(i * 7919) % 26]).join("");
    const batch = { "@type": "requestBatch", requests: Array.from({ length: 20 }, (_, i) => ({ "@type": "getValue", requestId: 100 + i, key: "k", pad })) };
    for (const compression of ["GZIP", "LZ4", "NONE"] as const) {
      const frame = await compress(bytes(JSON.stringify(batch)), compression);
      const requests = await decodeFrame(frame.slice().buffer as ArrayBuffer, compression);
      expect(requests.map((r) => r.requestId), compression).toEqual(Array.from({ length: 16 }, (_, i) => 100 + i));
      for (const r of requests) expect(refusalOf(r)?.code).toBe("payload_too_large");
    }
  });
});

describe("requestIds of a frame cut off at the limit", () => {
  it("finds the top-level id, or the ids of a batch's entries, never nested ones", () => {
    expect(requestIdsIn('{"@type":"append","messages":[{"requestId":7}],"requestId":3,"x":"')).toEqual([3]);
    expect(requestIdsIn('{"requests":[{"requestId":1,"a":{"requestId":9}},{"x":"}\\"]","requestId":2},{"requestId":4')).toEqual([]);
    expect(requestIdsIn('{"@type":"requestBatch","requests":[{"requestId":1,"a":{"requestId":9}},{"x":"}\\"]","requestId":2},{"requestId":4')).toEqual([1, 2]);
  });
});
