import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FluxSocket, message, payloadOf } from "../support/flux-socket";

// `npm start` is what users run: check the hub really comes up under wrangler dev and speaks Flux.
const PORT = 18787;
const base = `http://127.0.0.1:${PORT}`;
let dev: ChildProcess;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "flux-dev-"));
  dev = spawn("node", [resolve(import.meta.dirname, "../../scripts/start.mjs")], {
    cwd: resolve(import.meta.dirname, "../.."),
    env: { ...process.env, PORT: String(PORT), FLUX_DATA_DIR: dataDir },
    stdio: "ignore",
    detached: true,
  });
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("wrangler dev did not come up within 90 s");
});

afterAll(async () => {
  if (dev?.pid) process.kill(-dev.pid, "SIGTERM");
  await new Promise((r) => setTimeout(r, 1000));
  rmSync(dataDir, { recursive: true, force: true });
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
