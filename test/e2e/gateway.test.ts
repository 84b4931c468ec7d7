// Web requests through a real local hub: an HTTP call under /web becomes a WEBREQUEST, a handler
// (a plain Flux socket here) reads it and publishes the WEBRESPONSE, and the caller gets it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FluxSocket, type Json } from "../support/flux-socket";
import { type Hub, startHub } from "../support/hub";
import { readRequest } from "../support/tracking";

let hub: Hub;
beforeAll(async () => {
  hub = await startHub({ vars: { WEB_TIMEOUT_SECONDS: "2" } });
});
afterAll(async () => {
  await hub?.dispose();
});

const b64 = (text: string) => Buffer.from(text).toString("base64");

/** A handler: reads one WEBREQUEST of `project` and answers it with what `respond` returns. */
async function handleOne(project: string, respond: (request: Json) => Json): Promise<Json> {
  const reader = await FluxSocket.open(hub.wsUrl, "tracking/readwebrequest", { clientId: "web-app", projectId: project });
  const read = await reader.request(readRequest("web-app_WEBREQUEST", "web-app-1", { maxTimeout: 10_000 }), 15_000);
  const [request] = read.messageBatch.messages;
  const { segment, lastIndex } = read.messageBatch;
  await reader.request({ "@type": "storePosition", consumer: "web-app_WEBREQUEST", segment, lastIndex, guarantee: "STORED" });
  const publisher = await FluxSocket.open(hub.wsUrl, "tracking/publishwebresponse", { clientId: "web-app", projectId: project });
  const response = { messageId: crypto.randomUUID(), timestamp: Date.now(), target: request.source, requestId: request.requestId, ...respond(request) };
  await publisher.request({ "@type": "append", messages: [response], guarantee: "STORED" });
  await Promise.all([reader.close(), publisher.close()]);
  return request;
}

describe("web requests through the hub", () => {
  it("publishes the request as a WEBREQUEST and answers with the handler's WEBRESPONSE", async () => {
    const handled = handleOne("shop", () => ({
      data: { value: b64('{"id":"o-1"}'), type: null, revision: 0, format: null },
      metadata: { status: "201", headers: JSON.stringify({ "Content-Type": ["application/json"], "X-Order": ["o-1"], "Set-Cookie": ["a=1", "b=2"] }) },
    }));
    const res = await fetch(`${hub.url}/web/orders?limit=5&projectId=shop`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-trace": "t-1" },
      body: '{"item":"book"}',
    });
    const request = await handled;
    expect(res.status).toBe(201);
    expect(res.headers.get("x-order")).toBe("o-1");
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
    expect(await res.json()).toEqual({ id: "o-1" });
    // The request as Flux's proxy publishes it.
    expect(request.metadata.url).toBe("/orders?limit=5");
    expect(request.metadata.method).toBe("POST");
    expect(JSON.parse(request.metadata.headers)).toMatchObject({ "content-type": ["application/json"], "x-trace": ["t-1"] });
    expect(Buffer.from(request.data.value, "base64").toString()).toBe('{"item":"book"}');
    expect(request.data).toMatchObject({ type: null, format: "application/json" });
    expect(request.source).toMatch(/^flux-edge-web-\d$/);
    expect(Number.isInteger(request.requestId)).toBe(true);
  });

  it("takes the project from the x-flux-project header and serves a bodiless GET", async () => {
    const handled = handleOne("shop-2", () => ({
      data: { value: b64("pong"), type: null, revision: 0, format: "text/plain" },
      metadata: { status: "200" },
    }));
    const res = await fetch(`${hub.url}/web/ping`, { headers: { "x-flux-project": "shop-2" } });
    const request = await handled;
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain");
    expect(await res.text()).toBe("pong");
    expect(request.metadata.url).toBe("/ping");
    expect(JSON.parse(request.metadata.headers)["x-flux-project"]).toBeUndefined();
  });

  it("answers 504 when no handler responds in time", async () => {
    const started = Date.now();
    const res = await fetch(`${hub.url}/web/nobody-home?projectId=silent`);
    expect(res.status).toBe(504);
    expect(await res.json()).toMatchObject({ error: "gateway_timeout" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
  });

  it("answers a handler's 5xx and a malformed response with a 500 that leaks nothing", async () => {
    const failing = handleOne("broken", () => ({
      data: { value: b64("java.lang.IllegalStateException: db password is hunter2"), type: null, revision: 0 },
      metadata: { status: "500", headers: JSON.stringify({ "X-Internal": ["secret"] }) },
    }));
    const res = await fetch(`${hub.url}/web/fail?projectId=broken`);
    await failing;
    expect(res.status).toBe(500);
    expect(res.headers.get("x-internal")).toBeNull();
    const text = await res.text();
    expect(text).not.toContain("hunter2");
    expect(JSON.parse(text)).toEqual({ error: "handler_error", message: "the request could not be handled" });

    const malformed = handleOne("broken", () => ({ data: { value: b64("?"), type: null, revision: 0 }, metadata: { status: "not-a-status" } }));
    const res2 = await fetch(`${hub.url}/web/fail?projectId=broken`);
    await malformed;
    expect(res2.status).toBe(500);
    expect(await res2.json()).toMatchObject({ error: "handler_error" });
  });
});
