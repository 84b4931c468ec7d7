/**
 * Races of the push path over real sockets: a tracker joining while a commit answers the parked
 * one, and a burst of appends while trackers read, store and read again. Every message is
 * delivered exactly once when trackers store their positions before reading again, as Flux
 * promises while each segment has one owner.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FluxSocket, message, payloadOf } from "../support/flux-socket";
import { type Hub, startHub } from "../support/hub";
import { readRequest } from "../support/tracking";

let hub: Hub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub.dispose();
});

/** Reads and stores positions until `seen` holds `want` messages or the time is up. */
async function trackerLoop(s: FluxSocket, consumer: string, trackerId: string, seen: number[], want: number, until: number): Promise<void> {
  while (seen.length < want && Date.now() < until) {
    const batch = (await s.request(readRequest(consumer, trackerId, { lastIndex: -1, maxTimeout: 300 }), 5_000)).messageBatch;
    seen.push(...batch.messages.map(payloadOf));
    if (batch.lastIndex !== null && batch.segment[0] < batch.segment[1]) {
      await s.request({ "@type": "storePosition", consumer, segment: batch.segment, lastIndex: batch.lastIndex, guarantee: "STORED" });
    }
    s.received.length = 0;
  }
}

describe("push path races", () => {
  it("delivers each message once when a tracker joins while a commit answers the parked one", async () => {
    for (let round = 0; round < 6; round++) {
      const consumer = `race-${round}`;
      const topic = { topic: consumer };
      const pub = await FluxSocket.open(hub.wsUrl, "tracking/publishcustom", { clientId: "pub", ...topic });
      const [a, b] = await Promise.all(["a", "b"].map((c) => FluxSocket.open(hub.wsUrl, "tracking/readcustom", { clientId: `${c}${round}`, ...topic })));
      const want = 40;
      const seen: number[] = [];
      const until = Date.now() + 15_000;
      const first = trackerLoop(a, consumer, "t1", seen, want, until);
      await new Promise((r) => setTimeout(r, 50));
      const messages = Array.from({ length: want }, (_, i) => message(round * 1000 + i, { segment: (i * 37) % 128 }));
      // The second tracker joins while the append that answers the first is being committed.
      const appended = pub.request({ "@type": "append", messages, guarantee: "STORED" });
      const second = trackerLoop(b, consumer, "t2", seen, want, until);
      await Promise.all([appended, first, second]);
      expect([...seen].sort((x, y) => x - y)).toEqual(messages.map((_, i) => round * 1000 + i));
      await Promise.all([a.close(), b.close(), pub.close()]);
    }
  });

  it("delivers each message once to three trackers reading while appends commit one by one", async () => {
    const topic = { topic: "burst" };
    const pub = await FluxSocket.open(hub.wsUrl, "tracking/publishcustom", { clientId: "pub", ...topic });
    const sockets = await Promise.all([0, 1, 2].map((k) => FluxSocket.open(hub.wsUrl, "tracking/readcustom", { clientId: `c${k}`, ...topic })));
    const want = 150;
    const seen: number[] = [];
    const until = Date.now() + 30_000;
    const loops = sockets.map((s, k) => trackerLoop(s, "burst", `t${k}`, seen, want, until));
    for (let n = 0; n < want; n++) {
      const append = { "@type": "append", messages: [message(n, { segment: (n * 53) % 128 })] };
      if (n % 3 === 0) await pub.request({ ...append, guarantee: "STORED" });
      else await pub.send({ ...append, guarantee: "SENT" });
    }
    await Promise.all(loops);
    expect([...seen].sort((x, y) => x - y)).toEqual(Array.from({ length: want }, (_, n) => n));
    await Promise.all([pub, ...sockets].map((s) => s.close()));
  });
});
