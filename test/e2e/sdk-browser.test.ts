/**
 * The SDK in a real browser (Debian's chromium driven by playwright-core) against a real local hub:
 * bundled for the browser as the SDK build does it (lz4-wasm's module embedded), it speaks LZ4
 * both ways, a query out and its answer back, with payloads large enough to be real LZ4 blocks.
 */
import { resolve } from "node:path";
import { build } from "esbuild";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wasmModuleEsbuild } from "../../scripts/wasm-module.mjs";
import { type Hub, startHub } from "../support/hub";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

let hub: Hub;
let browser: Browser;
let sdk: string;

beforeAll(async () => {
  const out = await build({
    entryPoints: [resolve(import.meta.dirname, "../../src/client/index.ts")],
    bundle: true,
    write: false,
    format: "iife",
    globalName: "FluxSDK",
    platform: "browser",
    target: "es2022",
    external: ["ws"],
    plugins: [wasmModuleEsbuild],
    logLevel: "error",
  });
  sdk = out.outputFiles[0].text;
  hub = await startHub();
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu", "--no-first-run"] });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await hub?.dispose();
});

describe("the SDK in a browser", () => {
  it("asks a query, handles it and gets the answer, over LZ4 frames both ways", async () => {
    const page = await browser.newPage();
    // A page of the hub's own origin: loopback is a secure context, which crypto.randomUUID needs.
    await page.goto(`${hub.url}/health`);
    await page.addScriptTag({ content: sdk });
    const result = await page.evaluate(async (url) => {
      const { connect } = (globalThis as unknown as { FluxSDK: typeof import("../../src/client") }).FluxSDK;
      const flux = connect({ url, clientName: "browser", compression: "LZ4" });
      const handler = flux.consume({ consumer: "browser-echo", messageType: "QUERY", handler: (m) => ({ echoed: (m.payload as { text: string }).text }) });
      await handler.ready();
      const text = Array.from({ length: 4000 }, (_, i) => `line ${i} ✓ ünïcødé`).join("\n");
      const answer = (await flux.query({ text }, { type: "Echo", timeoutMs: 20_000 })) as { echoed: string };
      await handler.stop();
      await flux.close();
      return { same: answer.echoed === text, length: answer.echoed.length };
    }, hub.wsUrl);
    expect(result.same).toBe(true);
    expect(result.length).toBeGreaterThan(70_000);
  });
});
