/**
 * Per-key request rate: a token bucket per key, kept in the isolate's memory. Each isolate counts
 * on its own, so a client spread over several isolates (or Cloudflare locations) gets that many
 * times the rate; that is the accepted price of needing no shared round trip per request. A
 * WebSocket counts once, at its upgrade; frames on an open socket are bounded by the protocol's
 * frame and batch size limits instead.
 */
import { RateLimited } from "./errors";

/** Sustained requests per second per key and isolate. */
export const RATE_PER_SECOND = 100;
/** Requests a key may make at once after being idle. */
export const RATE_BURST = 200;

interface Bucket {
  tokens: number;
  at: number;
}

const buckets = new Map<string, Bucket>();

/** Takes one request's token from the key's bucket, or throws RateLimited. */
export function takeToken(keyId: string, now = Date.now()): void {
  const bucket = buckets.get(keyId) ?? { tokens: RATE_BURST, at: now };
  bucket.tokens = Math.min(RATE_BURST, bucket.tokens + ((now - bucket.at) / 1000) * RATE_PER_SECOND);
  bucket.at = now;
  buckets.set(keyId, bucket);
  if (bucket.tokens < 1) {
    const retryAfterSeconds = Math.ceil((1 - bucket.tokens) / RATE_PER_SECOND);
    throw new RateLimited(`API key ${keyId} exceeds ${RATE_PER_SECOND} requests per second`, retryAfterSeconds);
  }
  bucket.tokens -= 1;
}
