import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FluxSocket, message, refusedUpgrade } from "../support/flux-socket";
import { type Hub, startHub } from "../support/hub";
import { readRequest } from "../support/tracking";
import { until } from "../support/wait";

let hub: Hub;
const ADMIN = "test-admin-secret";
beforeAll(async () => {
  hub = await startHub({ vars: { ADMIN_SECRET: ADMIN } });
});
afterAll(async () => {
  await hub?.dispose();
});

/**
 * The code of the close frame the hub will send (call before it can). The close event itself waits
 * for the runtime to end the TCP connection (seconds), so the socket is dropped once the frame is in.
 */
async function closeCode(socket: FluxSocket): Promise<number> {
  const code = new Promise<number>((resolve) => socket.ws.once("close", (c) => resolve(c)));
  await until(() => socket.ws.readyState >= socket.ws.CLOSING);
  socket.ws.terminate();
  return code;
}

const admin = (path: string, init: RequestInit = {}) =>
  fetch(`${hub.url}/admin${path}`, { ...init, headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" } });

describe("project API keys on a real hub", () => {
  it("runs open until the first key exists, then refuses every route without a valid key of the project", async () => {
    const open = await fetch(`${hub.url}/api/projects/shop/logs/event/messages`);
    expect(open.status).toBe(200);
    // Sockets of another project opened while the hub runs open, one of them with a parked Read.
    const keyless = await Promise.all(["keyValue", "tracking/publishevent", "tracking/readevent"].map((path) => FluxSocket.open(hub.wsUrl, path, { projectId: "b" })));
    expect((await keyless[0].request({ "@type": "getValue", key: "k" }))["@type"]).toBe("getValueResult");
    await keyless[2].send(readRequest("c", "t", { maxTimeout: 30_000, lastIndex: -1 }));
    // Sessions register as open in the background: wait until all three are listed.
    const listed = async () => ((await (await fetch(`${hub.url}/api/projects/b/metrics`)).json()).sessions as { sockets: number }[]).reduce((n, s) => n + s.sockets, 0);
    await until(async () => (await listed()) === 3);
    const closed = keyless.map(closeCode);

    const created = await (await admin("/projects/shop/keys", { method: "POST", body: JSON.stringify({ label: "test" }) })).json();
    // The first key closes every session that holds none (finding 13 of the reliability campaign).
    expect(await Promise.all(closed)).toEqual([1008, 1008, 1008]);
    expect(keyless[2].received).toEqual([]);
    const key: string = created.key;
    const other = (await (await admin("/projects/other/keys", { method: "POST", body: "{}" })).json()).key as string;

    const routes = ["logs/event/messages", "aggregates/a-1/events", "kv/some-key", "schedules", "search/collections/c/documents/d"];
    for (const route of routes) {
      const url = `${hub.url}/api/projects/shop/${route}`;
      expect((await fetch(url)).status, route).toBe(401);
      expect((await fetch(url, { headers: { authorization: "Bearer fxk_nonsense" } })).status, route).toBe(401);
      expect((await fetch(url, { headers: { authorization: `Bearer ${other}` } })).status, route).toBe(403);
      expect([200, 404]).toContain((await fetch(url, { headers: { authorization: `Bearer ${key}` } })).status);
    }
    expect((await fetch(`${hub.url}/health`)).status).toBe(200);

    // WebSocket: missing, other-project and valid keys, by query parameter and by path prefix.
    const missing = await refusedUpgrade(`${hub.wsUrl}/tracking/publishevent?clientId=a&clientName=a&projectId=shop`);
    expect(missing.status).toBe(401);
    expect(missing.body.error).toBe("unauthorized");
    const wrong = await refusedUpgrade(`${hub.wsUrl}/tracking/publishevent?clientId=a&clientName=a&projectId=shop&apiKey=${other}`);
    expect(wrong.status).toBe(403);
    const byQuery = await FluxSocket.open(hub.wsUrl, "tracking/publishevent", { projectId: "shop", apiKey: key });
    expect((await byQuery.request({ "@type": "append", messages: [message(1)], guarantee: "STORED" }))["@type"]).toBe("void");
    await byQuery.close();
    const byPath = await FluxSocket.open(`${hub.wsUrl}/key/${key}`, "tracking/readevent", { projectId: "shop" });
    expect((await byPath.request({ "@type": "readFromIndex", minIndex: 0, maxSize: 10 })).messages).toHaveLength(1);
    await byPath.close();

    // Revoked keys are refused (the isolate that revoked it knows at once).
    await admin(`/projects/shop/keys/${created.id}`, { method: "DELETE" });
    expect((await fetch(`${hub.url}/api/projects/shop/logs/event/messages`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(401);
    expect((await fetch(`${hub.url}/admin/projects/shop/keys`)).status).toBe(401);
  });
});
