// WEBREQUEST encoding and WEBRESPONSE decoding as Flux's proxy does them.
import { describe, expect, it } from "vitest";
import { headerMap, webRequestMessage } from "../../../src/gateway/web-request";
import { bodyOf, replyFromResponse, timeoutReply } from "../../../src/gateway/web-response";

const enc = (s: string) => new TextEncoder().encode(s);

describe("webRequestMessage", () => {
  it("carries url, method and headers as Flux metadata strings, the body as untyped data", () => {
    const m = webRequestMessage(
      { url: "/a?b=1", method: "PUT", headers: [["content-type", "text/plain"], ["accept", "x"], ["accept", "y"]], body: enc("hi") },
      "gw",
      42,
      1000,
    );
    expect(m).toMatchObject({ source: "gw", requestId: 42, timestamp: 1000, data: { value: btoa("hi"), type: null, revision: 0, format: "text/plain" } });
    expect(m.metadata).toEqual({ url: "/a?b=1", method: "PUT", headers: JSON.stringify({ "content-type": ["text/plain"], accept: ["x", "y"] }) });
    expect(headerMap([])).toEqual({});
  });

  it("sends an empty body as empty data with no format", () => {
    const m = webRequestMessage({ url: "/", method: "GET", headers: [], body: null }, "gw", 1);
    expect(m.data).toEqual({ value: "", type: null, revision: 0, format: null });
  });
});

describe("replyFromResponse", () => {
  it("takes status and headers from metadata, Content-Type from the format when missing", () => {
    const r = replyFromResponse({ data: { format: "json" }, metadata: { status: "200", headers: '{"X-A":["1","2"],":status":["200"],"Content-Length":["9"]}' } }, enc("{}"));
    expect(r.status).toBe(200);
    expect(r.headers).toEqual([["X-A", "1"], ["X-A", "2"], ["content-type", "application/json"]]);
  });

  it("gives bodiless statuses no body", () => {
    expect(replyFromResponse({ metadata: { status: "204" } }, enc("x")).body).toBeNull();
  });

  it("hides the body of a handler's 5xx and refuses malformed responses", () => {
    const failed = replyFromResponse({ metadata: { status: "503", headers: '{"X-Secret":["s"]}' } }, enc("stack trace"));
    expect(failed.status).toBe(503);
    expect(new TextDecoder().decode(failed.body!)).not.toContain("stack");
    expect(failed.headers).toEqual([["content-type", "application/json"]]);
    for (const metadata of [{}, { status: "abc" }, { status: "101" }, { status: "200", headers: "{not json" }]) {
      expect(replyFromResponse({ metadata }, enc("")).status).toBe(500);
    }
    expect(bodyOf({ data: { value: "!!" } })).toBeNull();
  });

  it("says how long it waited on timeout", () => {
    expect(JSON.parse(new TextDecoder().decode(timeoutReply(30_000).body!))).toEqual({ error: "gateway_timeout", message: "no response from a handler within 30 s" });
  });
});
