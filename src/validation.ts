/**
 * The one wording of bad input, for every path input enters by (Flux requests, HTTP bodies, query
 * strings): `place: problem`, the place spelled from where the checked value sits in the request
 * and where inside it the problem is (`messages[0].data.value: must be a base64 string`).
 */
import type { z } from "zod";
import { BadRequest } from "./errors";

/** A validation issue, from zod or any Standard Schema validator. */
export interface Issue {
  message: string;
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>;
}

/**
 * `where` (a value's place in the request; "" for the request itself) followed by `path`: keys
 * after dots, array positions in brackets, e.g. `eventBatches[0].events[1].data`.
 */
export function placeOf(where: string, path: Issue["path"] = []): string {
  let place = where;
  for (const step of path) {
    const key = typeof step === "object" ? step.key : step;
    place += typeof key === "number" ? `[${key}]` : `${place ? "." : ""}${String(key)}`;
  }
  return place;
}

/** A BadRequest in the one wording: `place: problem`. */
export function invalid(place: string, problem: string): BadRequest {
  return new BadRequest(`${place}: ${problem}`);
}

/**
 * The first issue as a BadRequest in the one wording, placed under `where`; an issue with the
 * request itself as a whole (no place at all) is placed at `root`: "body", "query", "path".
 */
export function issueError(issues: readonly Issue[], where: string, root = "body"): BadRequest {
  const issue = issues[0];
  return invalid(placeOf(where, issue.path) || root, issue.message);
}

/** Parses `value` with `schema`, or throws BadRequest naming the place (see {@link issueError}). */
export function parseWith<T extends z.ZodType>(schema: T, value: unknown, where: string, root?: string): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw issueError(result.error.issues, where, root);
}
