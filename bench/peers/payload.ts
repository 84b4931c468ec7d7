/**
 * Message bodies shared by every system: JSON text of an exact byte size, `{"t":…,"i":…,"x":"…"}`,
 * with a pseudo-random hex filler (realistic work for the hub's LZ4) and, for the latency
 * workload, the send time `t` (performance.now(), ms) that the consumer subtracts from its own.
 */

/** Payloads made before the clock starts, cycled through by the throughput workloads. */
export interface PayloadPool {
  size: number;
  texts: string[];
  bytes: Uint8Array[];
  /** The same JSON parsed, for the hub's SDK, which serializes payload values itself. */
  values: unknown[];
}

const POOL = 1000;
const utf8 = new TextEncoder();

/** Payload `i` of `size` bytes stamped with `t` (0 for throughput runs). */
export function payload(i: number, size: number, t = 0): string {
  const head = `{"t":${t.toFixed(3)},"i":${i},"x":"`;
  let x = (i + 1) * 2654435761;
  let text = "";
  while (text.length < size - head.length - 2) {
    x = (x ^ (x << 13) ^ (x >>> 17) ^ (x << 5)) >>> 0;
    text += x.toString(16).padStart(8, "0");
  }
  return head + text.slice(0, size - head.length - 2) + `"}`;
}

export function payloadPool(size: number): PayloadPool {
  const texts = Array.from({ length: POOL }, (_, i) => payload(i, size));
  return { size, texts, bytes: texts.map((t) => utf8.encode(t)), values: texts.map((t) => JSON.parse(t)) };
}

/** The send time stamped in a payload's text. */
export function sentAt(text: string): number {
  return Number(text.slice(5, text.indexOf(",")));
}
