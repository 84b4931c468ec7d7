import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { appendEvents } from "../../../src/eventsourcing/aggregate-client";
import { HubError } from "../../../src/errors";
import type { SerializedMessage } from "../../../src/protocol/messages";
import { event } from "./helpers";

const APPENDERS = 50;

describe("optimistic concurrency with expectedSequenceNumber", () => {
  it("lets exactly one of 50 concurrent appenders win each sequence number, with no gaps", async () => {
    const stub = env.AGGREGATE.get(env.AGGREGATE.idFromName("occ/order-1"));
    const wins: number[] = [];
    let firstRoundWinners = 0;
    let firstRoundConflicts = 0;

    await Promise.all(
      Array.from({ length: APPENDERS }, async (_, i) => {
        let expected = -1;
        for (let round = 0; ; round++) {
          const outcome = await stub.append("occ", "order-1", [{ events: [event({ appender: i })], storeOnly: true, expectedSequenceNumber: expected }]);
          if (outcome.ok) {
            if (round === 0) firstRoundWinners++;
            wins.push(outcome.firstSequenceNumber);
            return;
          }
          if (round === 0) firstRoundConflicts++;
          expect(outcome.actualSequenceNumber).toBeGreaterThan(expected);
          expected = outcome.actualSequenceNumber;
        }
      }),
    );

    expect(firstRoundWinners).toBe(1);
    expect(firstRoundConflicts).toBe(APPENDERS - 1);
    expect(wins.sort((a, b) => a - b)).toEqual(Array.from({ length: APPENDERS }, (_, i) => i));
    const page = await stub.getEvents(-1, 1000);
    expect(page.lastSequenceNumber).toBe(APPENDERS - 1);
    const appenders = page.events.map((t) => JSON.parse(atob((JSON.parse(t) as SerializedMessage).data.value!)).appender as number);
    expect(new Set(appenders).size).toBe(APPENDERS);
  });

  it("raises Conflict naming the actual sequence number through the Worker-side client", async () => {
    await appendEvents(env, "occ", [{ aggregateId: "order-2", events: [event(0), event(1)], storeOnly: true }]);
    const e = await appendEvents(env, "occ", [{ aggregateId: "order-2", events: [event(2)], storeOnly: true, expectedSequenceNumber: 0 }]).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(HubError);
    expect((e as HubError).status).toBe(409);
    expect((e as HubError).toJSON()).toMatchObject({ error: "conflict", aggregateId: "order-2", expectedSequenceNumber: 0, actualSequenceNumber: 1 });
    expect(await appendEvents(env, "occ", [{ aggregateId: "order-2", events: [event(2)], storeOnly: true, expectedSequenceNumber: 1 }])).toEqual([
      { aggregateId: "order-2", firstSequenceNumber: 2, lastSequenceNumber: 2 },
    ]);
  });
});
