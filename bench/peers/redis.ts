/**
 * Redis Streams through ioredis: XADD pipelined 1,000 at a time, consumer groups reading with
 * XREADGROUP COUNT 1,000 and one XACK per batch, and request/reply over two lists (the requester
 * LPUSHes to a request list and BRPOPs its reply list, both pipelined; the responder BRPOPs the request list and
 * LPUSHes the reply), each side on its own connection. Every run is its own key, deleted after.
 */
import { Redis } from "ioredis";
import { Arrivals, Countdown, steady, timedRoundTrips, windowed, within } from "./flow";
import { type PayloadPool, payload, sentAt } from "../shared/payload";
import { BATCH, IN_FLIGHT, type System } from "./system";

type Entries = [id: string, fields: string[]][];
type ReadReply = [key: string, entries: Entries][] | null;

const key = (run: string) => `bench:${run}`;

export async function redisSystem(port: number): Promise<System> {
  const open = async () => {
    const r = new Redis({ host: "127.0.0.1", port, lazyConnect: true, maxRetriesPerRequest: 1 });
    await r.connect();
    return r;
  };
  const redis = await open();
  /** One connection per consumer, as the hub and NATS get. */
  const withConnections = async <T>(n: number, work: (rs: Redis[]) => Promise<T>): Promise<T> => {
    const rs = await Promise.all(Array.from({ length: n }, open));
    try {
      return await work(rs);
    } finally {
      rs.forEach((r) => r.disconnect());
    }
  };
  const xadd = async (run: string, bodies: (string | Uint8Array)[]) => {
    const p = redis.pipeline();
    for (const b of bodies) p.xadd(key(run), "*", "d", Buffer.from(b as Uint8Array));
    for (const [error] of (await p.exec()) ?? []) if (error) throw error;
  };
  return {
    id: "redis",
    async publish(run, pool: PayloadPool, count) {
      const start = performance.now();
      await windowed(count, BATCH, IN_FLIGHT, (from, n) => xadd(run, Array.from({ length: n }, (_, k) => pool.bytes[(from + k) % pool.bytes.length])));
      return (performance.now() - start) / 1000;
    },
    async drop(run) {
      await redis.del(key(run));
    },
    async consume(run, group, consumers, count) {
      await redis.xgroup("CREATE", key(run), group, "0");
      return withConnections(consumers, async (rs) => {
        const countdown = new Countdown(count);
        const start = performance.now();
        const loops = rs.map(async (r, k) => {
          while (!countdown.done) {
            const reply = (await r.xreadgroup("GROUP", group, `c${k}`, "COUNT", BATCH, "STREAMS", key(run), ">")) as ReadReply;
            const ids = reply?.[0]?.[1].map(([id]) => id) ?? [];
            if (ids.length === 0) break;
            await r.xack(key(run), group, ...ids);
            countdown.add(ids.length);
          }
        });
        return ((await within(120_000, `redis consume ${group}`, countdown.of(loops))) - start) / 1000;
      });
    },
    async latency(run, rate, seconds, size, arrivals: Arrivals) {
      await redis.xgroup("CREATE", key(run), "latency", "0", "MKSTREAM");
      await withConnections(1, async ([r]) => {
        let stopped = false;
        const loop = (async () => {
          while (!stopped) {
            const reply = (await r.xreadgroup("GROUP", "latency", "c0", "COUNT", BATCH, "BLOCK", 200, "STREAMS", key(run), ">")) as ReadReply;
            const entries = reply?.[0]?.[1] ?? [];
            for (const [, fields] of entries) arrivals.add(sentAt(fields[1]));
            if (entries.length > 0) await r.xack(key(run), "latency", ...entries.map(([id]) => id));
          }
        })();
        try {
          arrivals.sent = await steady(rate, seconds, 5, (from, n) => xadd(run, Array.from({ length: n }, (_, k) => payload(from + k, size, performance.now()))));
          await arrivals.drained();
        } finally {
          stopped = true;
          await loop;
        }
      });
    },
    async requestReply(run, count, size) {
      const requests = `${key(run)}:requests`;
      const replies = `${key(run)}:replies`;
      return withConnections(2, async ([asker, responder]) => {
        let stopped = false;
        const serving = (async () => {
          while (!stopped) {
            const got = await responder.brpop(requests, 0.2);
            if (got) await responder.lpush(replies, got[1]);
          }
        })();
        const body = payload(0, size);
        // Both commands go out back to back on one connection (pipelined): one network round trip.
        const ask = async () => {
          const [, reply] = await Promise.all([asker.lpush(requests, body), asker.brpop(replies, 10)]);
          if (!reply) throw new Error("redis request/reply: no reply within 10 s");
        };
        try {
          return await timedRoundTrips(count, ask);
        } finally {
          stopped = true;
          await serving;
          await redis.del(requests, replies);
        }
      });
    },
    async close() {
      redis.disconnect();
    },
  };
}
