/**
 * Message bodies: JSON text of an exact byte size with a pseudo-random hex filler, so LZ4 finds
 * about as much to squeeze as in a real event rather than a run of one repeated character. The
 * suites on the Flux protocol send 200-byte `{"i":…,"text":"…"}`; the peers suite sends
 * `{"t":…,"i":…,"x":"…"}` of any size, where `t` is the send time (performance.now(), ms) that the
 * latency workload's consumer subtracts from its own.
 */
export const PAYLOAD_BYTES = 200;

/** `head` followed by message `i`'s hex filler, closed, `size` bytes in all. */
function filled(head: string, i: number, size: number): string {
  let text = "";
  let x = (i + 1) * 2654435761;
  while (text.length < size - head.length - 2) {
    x = (x ^ (x << 13) ^ (x >>> 17) ^ (x << 5)) >>> 0;
    text += x.toString(16).padStart(8, "0");
  }
  return head + text.slice(0, size - head.length - 2) + `"}`;
}

/** Message `i`'s 200-byte JSON text; the same `i` always gives the same text. */
export function payloadText(i: number): string {
  return filled(`{"i":${i},"text":"`, i, PAYLOAD_BYTES);
}

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
  return filled(`{"t":${t.toFixed(3)},"i":${i},"x":"`, i, size);
}

/** {@link POOL} payloads of `size` bytes. */
export function payloadPool(size: number): PayloadPool {
  const texts = Array.from({ length: POOL }, (_, i) => payload(i, size));
  return { size, texts, bytes: texts.map((t) => utf8.encode(t)), values: texts.map((t) => JSON.parse(t)) };
}

/** The send time stamped in a payload's text. */
export function sentAt(text: string): number {
  return Number(text.slice(5, text.indexOf(",")));
}
