import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FluxSocket, message, payloadOf } from "../support/flux-socket";
import { type DevHub, startWranglerDev } from "../support/wrangler-dev";

// `npm start` is what users run: check the hub really comes up under wrangler dev and speaks Flux.
const PORT = 18787;
const base = `http://127.0.0.1:${PORT}`;
let dev: DevHub;

beforeAll(async () => {
  dev = await startWranglerDev(PORT);
}, 120_000);

afterAll(async () => {
  await dev?.stop();
});

describe("npm start (wrangler dev)", () => {
  it("serves health, Flux WebSocket publish and read, and the HTTP API", async () => {
    expect(await (await fetch(`${base}/health`)).text()).toBe("Healthy");
    const wsUrl = base.replace("http", "ws");
    const pub = await FluxSocket.open(wsUrl, "tracking/publishevent");
    await pub.request({ "@type": "append", messages: [message("hello"), message("world")], guarantee: "STORED" });
    const reader = await FluxSocket.open(wsUrl, "tracking/readevent");
    const res = await reader.request({ "@type": "readFromIndex", minIndex: 0, maxSize: 10 });
    expect(res.messages.map(payloadOf)).toEqual(["hello", "world"]);
    const http = await (await fetch(`${base}/api/projects/public/logs/event/messages`)).json();
    expect(http.messages.map((m: any) => m.payload)).toEqual(["hello", "world"]);
    await pub.close();
    await reader.close();
  });

  it("serves the console at / and at its client routes, beside the API", async () => {
    for (const path of ["/", "/consumers/event/billing"]) {
      const res = await fetch(`${base}${path}`, { headers: { "sec-fetch-mode": "navigate", accept: "text/html" } });
      expect(res.headers.get("content-type")).toContain("text/html");
      expect(await res.text()).toContain('<div id="app">');
    }
    expect((await (await fetch(`${base}/openapi.json`)).json()).openapi).toMatch(/^3\.1\./);
  });
});
