import { describe, expect, it } from "vitest";
import { decodeFrame } from "../../../src/protocol/frames";
import { RawJson, parseJson, stringifyJson } from "../../../src/protocol/json";
import { MAX_NESTING, refusalOf } from "../../../src/protocol/request-check";
import { resultText } from "../../../src/session/result-text";

const bytes = (text: string) => new TextEncoder().encode(text);
const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth);

describe("every entry of a frame is checked at the door", () => {
  const decode = (value: unknown) => decodeFrame(JSON.stringify(value), "NONE");

  it("answers an entry without @type under its own id and keeps the others (finding 10)", async () => {
    const [bad, good] = await decode({ "@type": "requestBatch", requests: [{ requestId: 5 }, { "@type": "getValue", requestId: 6 }] });
    expect(bad.requestId).toBe(5);
    expect(refusalOf(bad)?.message).toMatch(/request 0: has no "@type"/);
    expect(refusalOf(good)).toBeUndefined();
  });

  it("refuses a requestId that is not a Flux long (finding 7)", async () => {
    for (const requestId of ["abc", '1,"@type":"void"', "\u0000raw0", 1.5, 2 ** 64, { a: 1 }]) {
      const [r] = await decode({ "@type": "read", requestId });
      expect(refusalOf(r)?.message, String(requestId)).toMatch(/requestId must be a 64-bit integer/);
      expect(r.requestId).toBe(-1);
    }
  });

  it("refuses a bogus guarantee (finding 9)", async () => {
    for (const guarantee of ["BOGUS", { a: 1 }, ["STORED"]]) {
      const [r] = await decode({ "@type": "append", requestId: 1, guarantee, messages: [] });
      expect(refusalOf(r)?.message).toMatch(/guarantee must be NONE, SENT or STORED/);
    }
  });

  it("refuses nesting deeper than the limit and numbers beyond a double (findings 8, 11)", async () => {
    const deep = await decodeFrame(`{"@type":"append","requestId":1,"messages":[{"data":{"value":""},"x":${nested(5000)}}]}`, "NONE");
    expect(refusalOf(deep[0])?.message).toMatch(new RegExp(`nests deeper than ${MAX_NESTING} levels`));
    const huge = await decodeFrame('{"@type":"indexDocuments","requestId":2,"documents":[{"revision":-1e400}]}', "NONE");
    expect(refusalOf(huge[0])?.message).toBe("request 0: documents[0].revision is a number beyond a double's range");
    const long = await decodeFrame('{"@type":"schedule","requestId":4,"messages":[{"timestamp":123456789012345678901234567890}]}', "NONE");
    expect(refusalOf(long[0])?.message).toBe("request 0: messages[0].timestamp is an integer beyond a 64-bit long");
    const [ok] = await decodeFrame(`{"@type":"append","requestId":3,"x":${nested(MAX_NESTING - 1)}}`, "NONE");
    expect(refusalOf(ok)).toBeUndefined();
  });

  it("refuses strings that were not valid UTF-8 (finding 9)", async () => {
    const text = '{"@type":"append","requestId":1,"messages":[{"data":{"value":"","type":"X\u00ff"}}]}';
    const frame = bytes(text);
    frame[frame.indexOf(0xc3)] = 0xff; // a byte no UTF-8 text holds
    const [r] = await decodeFrame(frame.buffer as ArrayBuffer, "NONE");
    expect(refusalOf(r)?.message).toMatch(/messages\[0\]\.data\.type is not valid UTF-8/);
  });
});

describe("raw JSON is spliced where no user data can reach (finding 7)", () => {
  it("keeps strings that look like the old placeholder or the new mark as plain strings", () => {
    const tricky = ["\u0000raw0", "\u0000raw1", "\udead", "\ud83d\udead", '"\udead"'];
    const text = stringifyJson({ id: tricky[0], events: new RawJson("[1,2]"), more: tricky.slice(1), last: new RawJson('{"a":"\\u0000raw0"}') });
    expect(parseJson(text)).toEqual({ id: tricky[0], events: [1, 2], more: tricky.slice(1), last: { a: "\u0000raw0" } });
  });

  it("writes only a Flux long as a result's requestId", () => {
    expect(JSON.parse(resultText('{"@type":"readResult"}', "abc" as never))).toMatchObject({ "@type": "readResult", requestId: -1 });
    expect(JSON.parse(resultText('{"@type":"readResult"}', '1,"@type":"void"' as never))["@type"]).toBe("readResult");
    expect(resultText('{"@type":"x"}', 2n ** 62n)).toContain(`"requestId":${2n ** 62n}`);
  });
});
