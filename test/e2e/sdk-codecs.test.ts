/**
 * The SDK's codecs in Node, where they take other paths than in workerd (Buffer for base64).
 */
import { describe, it } from "vitest";
import { fromBase64, toBase64 } from "../../src/protocol/base64";
import { base64Agrees } from "../support/base64-cases";

describe("the SDK's base64 in Node", () => {
  it("encodes and decodes as btoa and atob do, and refuses what atob refuses", () => {
    base64Agrees(toBase64, fromBase64);
  });
});
