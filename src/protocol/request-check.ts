/**
 * The checks every decoded request passes before any endpoint sees it: a Flux `long` requestId, a
 * known guarantee, bounded nesting, numbers a double or a long can hold, and valid UTF-8. A
 * request that fails one is not run; it is answered with an error under its own requestId when it
 * has a usable one.
 */
import { BadRequest, type HubError } from "../errors";
import type { FluxRequest } from "./endpoint";

/** How deep objects and arrays may nest in one request (a requestBatch's own two levels aside). */
export const MAX_NESTING = 64;

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;
const GUARANTEES: ReadonlySet<unknown> = new Set(["NONE", "SENT", "STORED"]);

/** Marks a request refused at the door; only code can set it, never a frame's JSON. */
const REFUSAL = Symbol("refusal");

/** A refused request: what it was refused for, under the requestId to answer it with. */
export interface RefusedRequest extends FluxRequest {
  [REFUSAL]: HubError;
}

/** The error a request was refused for, or undefined when it may run. */
export function refusalOf(request: FluxRequest): HubError | undefined {
  return (request as Partial<RefusedRequest>)[REFUSAL];
}

/** A stand-in for a request that must not run; its `@type` names no handler. */
export function refused(error: HubError, requestId: FluxRequest["requestId"]): RefusedRequest {
  return { "@type": "refused request", requestId, [REFUSAL]: error };
}

/** Whether `v` is a Flux `long` (Java's 64-bit integer). */
export function isLong(v: unknown): v is number | bigint {
  if (typeof v === "number") return Number.isSafeInteger(v);
  return typeof v === "bigint" && v >= LONG_MIN && v <= LONG_MAX;
}

/**
 * Checks entry `i` of a frame. Returns the request to run, or a RefusedRequest carrying the
 * problem; `badUtf8` says the frame held bytes that are not UTF-8 (decoded as U+FFFD).
 */
export function checkRequest(entry: unknown, i: number, badUtf8: boolean): FluxRequest {
  if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
    return refused(new BadRequest(`request ${i} must be a JSON object`), -1);
  }
  const r = entry as Record<string, unknown>;
  const id = r.requestId;
  if (id !== undefined && id !== null && !isLong(id)) {
    return refused(new BadRequest(`request ${i}: requestId must be a 64-bit integer`), -1);
  }
  const requestId = (id ?? undefined) as FluxRequest["requestId"];
  const problem = shapeProblem(r, badUtf8);
  return problem ? refused(new BadRequest(`request ${i}: ${problem}`), requestId) : (r as FluxRequest);
}

function shapeProblem(r: Record<string, unknown>, badUtf8: boolean): string | null {
  if (typeof r["@type"] !== "string") return 'has no "@type"';
  if (r.guarantee !== undefined && r.guarantee !== null && !GUARANTEES.has(r.guarantee)) {
    return "guarantee must be NONE, SENT or STORED";
  }
  return valueProblem(r, 1, badUtf8, []);
}

/**
 * The first problem of a parsed JSON value the hub must not take in: nesting deeper than
 * MAX_NESTING (which would exhaust the stack of whoever serialises it later) or a number beyond
 * a double's range (1e400, which JSON.parse turns into Infinity). Null when there is none.
 */
export function jsonProblem(value: unknown): string | null {
  return valueProblem(value, 1, false, []);
}

/** Walks a value (recursion bounded by MAX_NESTING); names the first problem and where. */
function valueProblem(v: unknown, depth: number, badUtf8: boolean, path: (string | number)[]): string | null {
  if (typeof v === "number") return Number.isFinite(v) ? null : `${where(path)} is a number beyond a double's range`;
  if (typeof v === "bigint") return isLong(v) ? null : `${where(path)} is an integer beyond a 64-bit long`;
  if (typeof v === "string") return badUtf8 && v.includes("\uFFFD") ? `${where(path)} is not valid UTF-8` : null;
  if (typeof v !== "object" || v === null) return null;
  if (depth > MAX_NESTING) return `${where(path)} nests deeper than ${MAX_NESTING} levels`;
  // Runs over every value of every request: no pair per entry, and no call for a value that is fine alone.
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const problem = entryProblem(v[i], i, depth, badUtf8, path);
      if (problem) return problem;
    }
    return null;
  }
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (badUtf8 && k.includes("\uFFFD")) return `a field name in ${where(path)} is not valid UTF-8`;
    const problem = entryProblem(o[k], k, depth, badUtf8, path);
    if (problem) return problem;
  }
  return null;
}

/** {@link valueProblem} of the entry `k` of a container at `depth`. */
function entryProblem(x: unknown, k: string | number, depth: number, badUtf8: boolean, path: (string | number)[]): string | null {
  if (x === null || typeof x === "boolean" || (typeof x === "string" && !badUtf8) || (typeof x === "number" && Number.isFinite(x))) return null;
  path.push(k);
  const problem = valueProblem(x, depth + 1, badUtf8, path);
  path.pop();
  return problem;
}

function where(path: (string | number)[]): string {
  if (path.length === 0) return "the request";
  return path.reduce<string>((s, k) => (typeof k === "number" ? `${s}[${k}]` : s ? `${s}.${k}` : k), "");
}
