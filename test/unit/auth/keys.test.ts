// Key material, where requests carry keys, and the token bucket: no storage involved.
import { describe, expect, it } from "vitest";
import { Unauthorized } from "../../../src/auth/errors";
import { generateKey, hashKey, isWellFormedKey } from "../../../src/auth/keys";
import { bearerToken, presentedKey, withoutKeyPath } from "../../../src/auth/presented-key";
import { RATE_BURST, RATE_PER_SECOND, takeToken } from "../../../src/auth/rate-limit";

const KEY = generateKey();

describe("API key material", () => {
  it("generates distinct well-formed keys and hashes them to hex SHA-256", async () => {
    expect(KEY).toMatch(/^fxk_[A-Za-z0-9_-]{43}$/);
    expect(generateKey()).not.toBe(KEY);
    expect(isWellFormedKey(KEY)).toBe(true);
    for (const bad of ["", "fxk_short", `${KEY}x`, KEY.replace("fxk_", "abc_"), `fxk_${"+".repeat(43)}`]) expect(isWellFormedKey(bad)).toBe(false);
    expect(await hashKey("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});

describe("where a request carries its key", () => {
  const req = (url: string, headers: Record<string, string> = {}) => new Request(url, { headers });

  it("reads a Bearer header, an apiKey query parameter and a /key/<key> path prefix, in that order", () => {
    expect(presentedKey(req("http://hub/api/projects/p/kv/a", { authorization: `Bearer ${KEY}` }))).toBe(KEY);
    expect(presentedKey(req(`http://hub/api/projects/p/kv/a?apiKey=${KEY}`, { authorization: "bearer other" }))).toBe("other");
    expect(presentedKey(req(`http://hub/tracking/readevent?clientId=a&apiKey=${KEY}`))).toBe(KEY);
    expect(presentedKey(req(`http://hub/key/${KEY}/tracking/readevent?clientId=a`))).toBe(KEY);
    expect(presentedKey(req("http://hub/tracking/readevent?clientId=a"))).toBeNull();
  });

  it("refuses an Authorization header that is not Bearer instead of ignoring it", () => {
    expect(bearerToken(req("http://hub/"))).toBeNull();
    for (const header of ["Basic dXNlcjpwYXNz", "Bearer", "Bearer a b", KEY]) {
      expect(() => bearerToken(req("http://hub/", { authorization: header }))).toThrow(Unauthorized);
    }
  });

  it("strips the key path prefix that the Java client's base URL adds", () => {
    const url = new URL(`wss://hub/key/${KEY}/tracking/publishevent?clientId=a&clientName=b`);
    expect(withoutKeyPath(url).toString()).toBe("wss://hub/tracking/publishevent?clientId=a&clientName=b");
    expect(withoutKeyPath(new URL(`wss://hub/key/${KEY}`)).pathname).toBe("/");
    const plain = new URL("wss://hub/keyValue?clientId=a");
    expect(withoutKeyPath(plain)).toBe(plain);
  });
});

describe("per-key token bucket", () => {
  it("allows a burst, then refills at the sustained rate", () => {
    const t = 1_000_000;
    for (let i = 0; i < RATE_BURST; i++) takeToken("bucket-a", t);
    let refusal: unknown;
    try {
      takeToken("bucket-a", t);
    } catch (e) {
      refusal = e;
    }
    expect(refusal).toMatchObject({ code: "rate_limited", status: 429, details: { retryAfterSeconds: 1 } });
    takeToken("bucket-b", t); // another key has its own bucket
    takeToken("bucket-a", t + 1000 / RATE_PER_SECOND); // one token back after 1/rate seconds
    expect(() => takeToken("bucket-a", t + 1000 / RATE_PER_SECOND)).toThrow(/requests per second/);
  });
});
