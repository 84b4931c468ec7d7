/**
 * The web console in a real browser (Debian's chromium driven by playwright-core) against a real
 * local hub: every page loads without console errors, published messages show in the message
 * browser and the live tail, a position reset changes the lag shown, cancelling a schedule removes
 * it, and a key of one project shows nothing of another. Screenshots go to test-results/console/.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join, resolve } from "node:path";
import { type Browser, type Page, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FluxSocket, message } from "../support/flux-socket";
import { type Hub, startHub } from "../support/hub";
import { publish, readRequest } from "../support/tracking";

const SHOTS = resolve(import.meta.dirname, "../../test-results/console");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

let hub: Hub;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  hub = await startHub();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
});
afterAll(async () => {
  await browser?.close();
  await hub?.dispose();
});

/** A page of `hub` that records console errors and uncaught exceptions, and accepts confirmations. */
async function openPage(base: Hub): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("dialog", (d) => void d.accept());
  await page.goto(base.url + "/");
  return { page, errors };
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** `millis` as a datetime-local input value (the browser's zone, whole seconds). */
function localInput(millis: number): string {
  const d = new Date(millis);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
}

/** Publishes events of `type` over the Flux protocol. */
function publishEvents(base: Hub, payloads: unknown[], type = "com.example.OrderPlaced", params: Record<string, string> = {}) {
  return publish(base.wsUrl, "event", payloads, () => ({ type }), params);
}

/** The console's budget on a slow connection: what index.html loads, gzipped (the README states the size). */
const BUDGET_BYTES = 60 * 1024;

describe("the web console", () => {
  it(`loads at most ${BUDGET_BYTES / 1024} KB gzipped`, () => {
    const dist = resolve(import.meta.dirname, "../../console/dist");
    const html = readFileSync(join(dist, "index.html"));
    const assets = [...html.toString().matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => readFileSync(join(dist, m[1])));
    expect(assets.length).toBeGreaterThanOrEqual(2);
    const total = [html, ...assets].reduce((n, file) => n + gzipSync(file, { level: 9 }).length, 0);
    expect(total).toBeLessThan(BUDGET_BYTES);
  });

  it("serves the console at / and client routes, while API paths still reach the Worker", async () => {
    for (const path of ["/", "/messages", "/consumers/event/x"]) {
      const res = await fetch(hub.url + path, { headers: { "sec-fetch-mode": "navigate", accept: "text/html" } });
      expect(res.headers.get("content-type")).toContain("text/html");
      expect(await res.text()).toContain('<div id="app">');
    }
    expect(await (await fetch(hub.url + "/health")).text()).toBe("Healthy");
    expect((await fetch(hub.url + "/openapi.json")).headers.get("content-type")).toContain("json");
    const missing = await fetch(hub.url + "/api/projects/public/nothing");
    expect(missing.status).toBe(404);
    expect((await missing.json()).error).toBe("not_found");
  });

  it("shows live data on the overview, a consumer's trackers over the segments, and disconnects one", async () => {
    // Two trackers of one consumer, held by a connected client, split the 128 segments.
    const readers = await Promise.all(
      [1, 2].map((n) =>
        FluxSocket.open(hub.wsUrl, "tracking/readevent", { clientId: `billing-${n}`, clientName: "billing-service" }),
      ),
    );
    await Promise.all(readers.map((r, n) => r.request(readRequest("billing", `billing-${n}`, { maxTimeout: 200 }))));
    await publishEvents(
      hub,
      Array.from({ length: 40 }, (_, i) => ({ orderId: `o-${i}`, amount: 10 + i })),
    );
    const [command] = await publish(hub.wsUrl, "command", [{ orderId: "o-7" }], () => ({ type: "com.example.ShipOrder" }));
    await publish(hub.wsUrl, "error", [{ message: "warehouse unavailable" }], () => ({
      type: "io.fluxcapacitor.common.api.ErrorMessage",
      metadata: { $correlationId: command.messageId, $trigger: "com.example.ShipOrder", $triggerType: "COMMAND" },
    }));
    await Promise.all(readers.map((r, n) => r.request(readRequest("billing", `billing-${n}`, { maxTimeout: 200 }))));

    const { page, errors } = await openPage(hub);
    // Logs are listed once the audit feed has seen them.
    await expect
      .poll(
        async () => {
          await page.reload();
          await page.locator("main h1").waitFor();
          return page.getByTestId("logs").getByRole("link", { name: "EVENT", exact: true }).count();
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe(1);
    await page.getByTestId("rate-chart").waitFor();
    await page.getByTestId("consumers").getByText("billing").waitFor();
    await shot(page, "overview");

    await page.getByTestId("consumers").getByRole("link", { name: "billing" }).click();
    await expect.poll(() => page.getByTestId("trackers").locator("tbody tr").count(), { timeout: 10_000 }).toBe(2);
    await shot(page, "consumer");
    await page
      .getByTestId("trackers")
      .locator("tr", { hasText: "billing-0" })
      .getByRole("button", { name: "Disconnect" })
      .click();
    await page.getByRole("status").getByText("Tracker billing-0 disconnected.").waitFor();
    await expect.poll(() => page.getByTestId("trackers").locator("tbody tr").count(), { timeout: 10_000 }).toBe(1);

    await page.goto(hub.url + "/errors");
    await page.getByTestId("errors").getByText("warehouse unavailable").click();
    await page.getByTestId("trigger").getByText('"orderId": "o-7"', { exact: false }).waitFor({ timeout: 15_000 });
    await shot(page, "errors");
    expect(errors).toEqual([]);
    await Promise.all(readers.map((r) => r.close()));
    await page.close();
  });

  it("follows a command's correlation to the events it caused, and refreshes the overview by itself", async () => {
    const [command] = await publish(hub.wsUrl, "command", [{ orderId: "o-corr" }], () => ({ type: "com.example.PlaceOrder" }));
    await publishEvents(hub, [{ orderId: "o-corr", placed: true }], "com.example.OrderPlaced", {});
    await publish(hub.wsUrl, "event", [{ orderId: "o-corr", caused: true }], () => ({
      type: "com.example.OrderPriced",
      metadata: { $correlationId: command.messageId },
    }));
    const { page, errors } = await openPage(hub);
    await page.goto(hub.url + "/messages?type=command");
    await page.getByTestId("messages").getByText('{"orderId":"o-corr"}').click();
    // The audit feed indexes asynchronously: follow again until the caused event is there.
    await expect
      .poll(
        async () => {
          await page.getByRole("button", { name: "Follow correlation" }).click();
          return page.getByTestId("message-details").getByText("OrderPriced").count();
        },
        { timeout: 15_000, interval: 500 },
      )
      .toBe(1);
    expect(await page.getByTestId("message-details").getByText("OrderPlaced").count()).toBe(0);
    await shot(page, "correlation");

    await page.goto(hub.url + "/");
    const eventCount = page.getByTestId("logs").locator("tr", { hasText: "EVENT" }).locator("td").nth(1);
    const before = Number(await eventCount.textContent());
    await publishEvents(hub, [{ refresh: 1 }, { refresh: 2 }]);
    await expect.poll(async () => Number(await eventCount.textContent()), { timeout: 15_000 }).toBe(before + 2);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows an aggregate's events and snapshot, and looks up a key", async () => {
    const data = (value: unknown, type: string) => ({
      value: Buffer.from(JSON.stringify(value)).toString("base64"),
      type,
      revision: 0,
      format: "json",
    });
    const appended = await fetch(`${hub.url}/api/projects/public/aggregates/cart-1/events`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        events: [
          { ...message({ sku: "a-1" }, { type: "com.example.ItemAdded" }) },
          { ...message({ sku: "b-2" }, { type: "com.example.ItemAdded" }) },
        ],
      }),
    });
    expect(appended.status).toBe(201);
    for (const [key, value] of [
      ["$snapshot_cart-1", data({ items: ["a-1", "b-2"] }, "com.example.Cart")],
      ["greeting", data({ hello: "world" }, "com.example.Greeting")],
    ] as const) {
      const put = await fetch(`${hub.url}/api/projects/public/kv/${encodeURIComponent(key)}`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(value),
      });
      expect(put.status).toBe(204);
    }
    const { page, errors } = await openPage(hub);
    await page.goto(hub.url + "/aggregates");
    await page.locator('input[name="aggregateId"]').fill("cart-1");
    await page.getByRole("button", { name: "Load" }).click();
    await expect.poll(() => page.getByTestId("events").locator("tbody tr").count()).toBe(2);
    await page.getByText('"b-2"', { exact: false }).first().waitFor();
    await page.locator("main").getByText("com.example.Cart").waitFor();
    await shot(page, "aggregate");
    await page.goto(hub.url + "/kv");
    await page.locator('input[name="key"]').fill("greeting");
    await page.getByRole("button", { name: "Look up" }).click();
    await page.locator("main").getByText('"hello": "world"').waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });

  it("loads every page without console errors", async () => {
    const { page, errors } = await openPage(hub);
    const pages = [
      "/",
      "/messages",
      "/consumers",
      "/consumers/event/billing",
      "/errors",
      "/schedules",
      "/aggregates",
      "/documents",
      "/kv",
      "/keys",
      "/reference.html",
    ];
    for (const path of pages) {
      await page.goto(hub.url + path);
      await page.waitForLoadState("networkidle");
      if (path === "/reference.html") await page.getByText("flux-edge HTTP API").first().waitFor();
      else await page.locator("main h1").waitFor();
      await page.screenshot({
        path: join(SHOTS, `page-${path.slice(1).replaceAll("/", "-").replace(".html", "") || "overview"}.png`),
      });
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows a message published over the protocol in the message browser and in the live tail", async () => {
    const before = Date.now();
    await publishEvents(hub, [{ orderId: "o-browse" }]);
    const { page, errors } = await openPage(hub);
    await page.goto(hub.url + "/messages?type=event");
    // Earlier tests filled more than a page: jump to the time of this one.
    await page.locator('input[name="time"]').fill(localInput(before - 1000));
    await page.getByRole("button", { name: "Read" }).click();
    const row = page.getByTestId("messages").getByText('{"orderId":"o-browse"}');
    await row.waitFor();
    await row.click();
    await page.getByTestId("message-details").getByText("com.example.OrderPlaced").waitFor();

    await page.locator('input[name="tail"]').check();
    // The tail is running (it may already show events an earlier test's handlers published late).
    await page.getByText("Live tail of EVENT").waitFor();
    await publishEvents(hub, [{ orderId: "o-tail" }], "com.example.OrderShipped");
    await page.getByTestId("tail").getByText('{"orderId":"o-tail"}').waitFor({ timeout: 15_000 });
    await shot(page, "messages-tail");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows the lag change when a consumer's position is reset", async () => {
    await publishEvents(hub, [{ n: 1 }, { n: 2 }, { n: 3 }]);
    const { page, errors } = await openPage(hub);
    await page.goto(hub.url + "/consumers/event/reset-me");
    const lag = page.getByTestId("lag-messages");
    await expect.poll(async () => Number(await lag.textContent()), { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    await page.locator('input[name="time"]').fill(localInput(Date.now() + 60_000));
    await page.getByRole("button", { name: "Reset position" }).click();
    await page.getByRole("status").getByText("Position reset to").waitFor();
    await expect.poll(async () => Number(await lag.textContent()), { timeout: 10_000 }).toBe(0);
    await shot(page, "consumer-reset");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("removes a schedule when it is cancelled", async () => {
    const due = Date.now() + 3_600_000;
    const created = await fetch(`${hub.url}/api/projects/public/schedules`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        scheduleId: "reminder-1",
        deadline: due,
        message: message({ remind: true }, { type: "com.example.Reminder" }),
      }),
    });
    expect(created.status).toBe(201);
    const { page, errors } = await openPage(hub);
    await page.goto(hub.url + "/schedules");
    const row = page.getByTestId("schedules").locator("tr", { hasText: "reminder-1" });
    await row.waitFor();
    await shot(page, "schedules");
    await row.getByRole("button", { name: "Cancel" }).click();
    await page.getByRole("status").getByText("Schedule reminder-1 cancelled.").waitFor();
    await expect.poll(() => row.count()).toBe(0);
    expect((await fetch(`${hub.url}/api/projects/public/schedules/reminder-1`)).status).toBe(404);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe("the web console's search page", () => {
  it("lists collections, searches with a constraint and shows the facets of the matches", async () => {
    const documents = [
      ["o-1", "open", "nl"],
      ["o-2", "open", "be"],
      ["o-3", "closed", "nl"],
    ].map(([id, status, country]) => ({
      id,
      value: { status, country },
      timestamp: Date.now(),
      facets: [
        { name: "status", value: status },
        { name: "country", value: country },
      ],
    }));
    const indexed = await fetch(`${hub.url}/api/projects/public/search/collections/orders/documents`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ documents }),
    });
    expect(indexed.status).toBe(200);
    const { page, errors } = await openPage(hub);
    await page.goto(hub.url + "/documents");
    await page.getByTestId("collections").locator("tr", { hasText: "orders" }).getByText("3").waitFor();
    await page.locator('input[name="collection"]').fill("orders");
    await page.locator("select").selectOption("match");
    await page.locator('input[aria-label="constraint value"]').fill("open");
    await page.locator('input[aria-label="constraint path"]').fill("status");
    await page.getByRole("button", { name: "Add constraint" }).click();
    await page.getByRole("button", { name: "Search" }).click();
    await expect.poll(() => page.getByTestId("matches").locator("tbody tr").count()).toBe(2);
    await page.getByTestId("facets").getByText("open (2)", { exact: false }).waitFor();
    expect(await page.getByTestId("facets").textContent()).not.toContain("closed");
    await shot(page, "search");
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe("the web console with API keys", () => {
  let closed: Hub;
  beforeAll(async () => {
    closed = await startHub({ vars: { ADMIN_SECRET: "console-test-admin" } });
  });
  afterAll(async () => {
    await closed?.dispose();
  });

  async function createKey(projectId: string): Promise<string> {
    const res = await fetch(`${closed.url}/admin/projects/${projectId}/keys`, {
      method: "POST",
      headers: { authorization: "Bearer console-test-admin" },
    });
    expect(res.status).toBe(201);
    return (await res.json()).key;
  }

  it("asks for a key, keeps it out of the URL, and with a key of project A shows nothing of project B", async () => {
    const [keyA, keyB] = [await createKey("alpha"), await createKey("beta")];
    await publishEvents(closed, [{ secret: "of-alpha" }], "com.example.A", { projectId: "alpha", apiKey: keyA });
    await publishEvents(closed, [{ secret: "of-beta" }], "com.example.B", { projectId: "beta", apiKey: keyB });

    const { page } = await openPage(closed);
    await page.locator('input[aria-label="project"]').fill("alpha");
    await page.locator('input[aria-label="project"]').press("Enter");
    await page.goto(closed.url + "/messages?type=event");
    await page.locator(".dialog").waitFor();
    await shot(page, "access");
    await page.locator('.dialog input[name="credential"]').fill(keyA);
    await page.locator(".dialog").getByRole("button", { name: "Use" }).click();
    await page.getByTestId("messages").getByText('{"secret":"of-alpha"}').waitFor();
    expect(page.url()).not.toContain(keyA);

    await page.locator('input[aria-label="project"]').fill("beta");
    await page.locator('input[aria-label="project"]').press("Enter");
    await page.getByRole("alert").getByText("403 forbidden", { exact: false }).waitFor();
    for (const path of ["/", "/messages?type=event", "/schedules"]) {
      await page.goto(closed.url + path);
      await page.getByRole("alert").first().waitFor();
      expect(await page.locator("main").textContent()).not.toContain("of-beta");
    }
    expect(page.url()).not.toContain(keyA);
    await page.close();
  });

  it("manages API keys with the admin secret", async () => {
    const { page, errors } = await openPage(closed);
    await page.locator('input[aria-label="project"]').fill("gamma");
    await page.locator('input[aria-label="project"]').press("Enter");
    await page.goto(closed.url + "/keys");
    await page.getByText("Managing keys needs the admin secret").waitFor();
    await page.getByRole("button", { name: "Access" }).click();
    await page.locator('.dialog select[aria-label="credential kind"]').selectOption("admin");
    await page.locator('.dialog input[name="credential"]').fill("console-test-admin");
    await page.locator(".dialog").getByRole("button", { name: "Use" }).click();
    await page.locator("main form input").fill("deploy");
    await page.getByRole("button", { name: "Create key" }).click();
    const created = (await page.getByTestId("new-key").textContent()) ?? "";
    expect(created).toMatch(/^fxk_/);
    const row = page.locator("main table tr", { hasText: "deploy" });
    await row.getByRole("button", { name: "Revoke" }).click();
    await expect.poll(() => row.getByRole("button", { name: "Revoke" }).count()).toBe(0);
    const revoked = await fetch(`${closed.url}/api/projects/gamma/metrics`, { headers: { authorization: `Bearer ${created}` } });
    expect(revoked.status).toBe(401);
    await shot(page, "keys");
    // The overview's first load, before the secret was given, was refused: the browser logs that.
    expect(errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
    await page.close();
  });
});
