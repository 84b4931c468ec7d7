/**
 * The bench's message body: exactly 200 bytes of JSON with a pseudo-random hex field, so LZ4 finds
 * about as much to squeeze as in a real event rather than a run of one repeated character.
 */
export const PAYLOAD_BYTES = 200;

/** Message `i`'s 200-byte JSON text; the same `i` always gives the same text. */
export function payloadText(i: number): string {
  const head = `{"i":${i},"text":"`;
  let text = "";
  let x = (i + 1) * 2654435761;
  while (text.length < PAYLOAD_BYTES - head.length - 2) {
    x = (x ^ (x << 13) ^ (x >>> 17) ^ (x << 5)) >>> 0;
    text += x.toString(16).padStart(8, "0");
  }
  return head + text.slice(0, PAYLOAD_BYTES - head.length - 2) + `"}`;
}
