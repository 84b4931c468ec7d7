/**
 * NATS JetStream (and core NATS for request/reply) through @nats-io/transport-node and
 * @nats-io/jetstream: async publishes with their PubAcks awaited per 1,000-message batch, durable
 * pull consumers fetching batches of 1,000 with an explicit ack per message (flushed per batch),
 * and core request/reply against a subscriber on another connection. Every run is its own
 * file-stored stream, deleted afterwards.
 */
import { AckPolicy, DeliverPolicy, StorageType, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { type NatsConnection, connect } from "@nats-io/transport-node";
import { Arrivals, Countdown, steady, timedRoundTrips, windowed, within } from "./flow";
import { type PayloadPool, payload, sentAt } from "../shared/payload";
import { BATCH, IN_FLIGHT, type System } from "./system";

const utf8 = new TextEncoder();
const text = new TextDecoder();
const stream = (run: string) => run.replace(/[^A-Za-z0-9_-]/g, "_");
const subject = (run: string) => `bench.${stream(run)}`;

export async function natsSystem(port: number): Promise<System> {
  const open = () => connect({ servers: `127.0.0.1:${port}` });
  const nc = await open();
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  const createStream = (run: string) => jsm.streams.add({ name: stream(run), subjects: [subject(run)], storage: StorageType.File });
  const createConsumer = (run: string, group: string) =>
    jsm.consumers.add(stream(run), { durable_name: group, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All, max_ack_pending: 20 * BATCH });
  /** One connection per consumer, as the hub and Redis get. */
  const withConnections = async <T>(n: number, work: (ncs: NatsConnection[]) => Promise<T>): Promise<T> => {
    const ncs = await Promise.all(Array.from({ length: n }, open));
    try {
      return await work(ncs);
    } finally {
      await Promise.allSettled(ncs.map((c) => c.close()));
    }
  };
  return {
    id: "nats",
    async publish(run, pool: PayloadPool, count) {
      await createStream(run);
      const start = performance.now();
      await windowed(count, BATCH, IN_FLIGHT, async (from, n) => {
        await Promise.all(Array.from({ length: n }, (_, k) => js.publish(subject(run), pool.bytes[(from + k) % pool.bytes.length])));
      });
      return (performance.now() - start) / 1000;
    },
    async drop(run) {
      await jsm.streams.delete(stream(run)).catch(() => false);
    },
    async consume(run, group, consumers, count) {
      await createConsumer(run, group);
      return withConnections(consumers, async (ncs) => {
        const countdown = new Countdown(count);
        const handles = await Promise.all(ncs.map((c) => jetstream(c).consumers.get(stream(run), group)));
        const start = performance.now();
        const loops = handles.map(async (c, k) => {
          while (!countdown.done) {
            const batch = await c.fetch({ max_messages: BATCH, expires: 1000 });
            let n = 0;
            for await (const m of batch) {
              m.ack();
              n++;
            }
            await ncs[k].flush();
            countdown.add(n);
          }
        });
        const finished = await within(120_000, `nats consume ${group}`, countdown.of(loops));
        await Promise.allSettled(loops);
        return (finished - start) / 1000;
      });
    },
    async latency(run, rate, seconds, size, arrivals: Arrivals) {
      await createStream(run);
      await createConsumer(run, "latency");
      await withConnections(1, async ([c]) => {
        const messages = await (await jetstream(c).consumers.get(stream(run), "latency")).consume({ max_messages: BATCH });
        const loop = (async () => {
          for await (const m of messages) {
            arrivals.add(sentAt(text.decode(m.data)));
            m.ack();
          }
        })();
        try {
          arrivals.sent = await steady(rate, seconds, 5, async (from, n) => {
            const t = performance.now();
            await Promise.all(Array.from({ length: n }, (_, k) => js.publish(subject(run), utf8.encode(payload(from + k, size, t)))));
          });
          await arrivals.drained();
        } finally {
          await messages.close();
          await loop;
        }
      });
    },
    async requestReply(run, count, size) {
      return withConnections(1, async ([responder]) => {
        const sub = responder.subscribe(subject(run), { callback: (_e, m) => void m.respond(m.data) });
        await responder.flush();
        const body = utf8.encode(payload(0, size));
        try {
          return await timedRoundTrips(count, () => nc.request(subject(run), body, { timeout: 10_000 }));
        } finally {
          sub.unsubscribe();
        }
      });
    },
    async close() {
      await nc.close();
    },
  };
}
