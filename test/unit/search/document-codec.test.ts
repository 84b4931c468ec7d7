import { encode } from "@msgpack/msgpack";
import { describe, expect, it } from "vitest";
import { BadRequest } from "../../../src/errors";
import { lz4Compress } from "../../../src/protocol/compression";
import { decodeDocument, encodeDocument } from "../../../src/search/document-codec";
import { invertJson, revertJson, EntryType, type FluxDocument } from "../../../src/protocol/document";

const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

describe("document codec", () => {
  it("decodes a hand-built DefaultDocumentSerializer stream", () => {
    // version, id, ts, end(nil), collection, header(2), then 2 × (type, value, paths)
    const parts = [
      encode(0), encode("doc-1"), encode(1_700_000_000_000), encode(null), encode("books"), Uint8Array.of(0x92),
      encode(0), encode("The Hobbit"), encode(["title"]),
      encode(1), encode("10"), encode(["price", "offers/0/price"]),
    ];
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((offset, p) => (bytes.set(p, offset), offset + p.length), 0);
    expect(decodeDocument(base64(lz4Compress(bytes)))).toEqual({
      id: "doc-1", timestamp: 1_700_000_000_000, end: null, collection: "books",
      entries: [
        { type: EntryType.TEXT, value: "The Hobbit", paths: ["title"] },
        { type: EntryType.NUMERIC, value: "10", paths: ["price", "offers/0/price"] },
      ],
    });
  });

  it("round-trips documents, including more than 15 entries and a root value", () => {
    const many: FluxDocument = {
      id: "x", timestamp: 5, end: 9, collection: "c",
      entries: Array.from({ length: 40 }, (_, i) => ({ type: EntryType.NUMERIC, value: String(i), paths: [`list/${i}`] })),
    };
    expect(decodeDocument(encodeDocument(many))).toEqual(many);
    const root: FluxDocument = { id: "y", timestamp: null, end: null, collection: "c", entries: [{ type: EntryType.TEXT, value: "hi", paths: [] }] };
    expect(decodeDocument(encodeDocument(root))).toEqual(root);
  });

  it("rejects what is not a document", () => {
    expect(() => decodeDocument(base64(lz4Compress(encode([1, 2]))))).toThrow(BadRequest);
    expect(() => decodeDocument("AAAA")).toThrow(BadRequest);
  });
});

describe("JSON inversion", () => {
  it("flattens JSON the way JacksonInverter does", () => {
    expect(invertJson({ a: "x", b: [1, "x", []], "c/d": { "7": null, e: {} }, f: true })).toEqual([
      { type: EntryType.TEXT, value: "x", paths: ["a", "b/1"] },
      { type: EntryType.NUMERIC, value: "1", paths: ["b/0"] },
      { type: EntryType.EMPTY_ARRAY, value: "[]", paths: ["b/2"] },
      { type: EntryType.NULL, value: "null", paths: ['c\\/d/"7"'] },
      { type: EntryType.EMPTY_OBJECT, value: "{}", paths: ["c\\/d/e"] },
      { type: EntryType.BOOLEAN, value: "true", paths: ["f"] },
    ]);
  });

  it("reverts entries to the JSON value", () => {
    const value = { a: "x", b: [1, "x", []], "c/d": { "7": null, e: {} }, f: true };
    expect(revertJson(invertJson(value))).toEqual(value);
    expect(revertJson(invertJson("root"))).toBe("root");
  });
});
