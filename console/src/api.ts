/**
 * The console's only way to the hub: the public HTTP API, with the project key (or admin secret)
 * from sessionStorage as a Bearer token, never in a URL. Integers beyond 2^53 (message indexes)
 * are kept as their decimal text so that no index loses digits.
 */

const KEY = "flux-console-key";
const ADMIN = "flux-console-admin";

/** A failed call: the HTTP status and the hub's `{error, message}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let unauthorized: (message: string) => void = () => {};

/** Sets what happens when the hub answers 401 (the console asks for a key). */
export function onUnauthorized(handler: (message: string) => void): void {
  unauthorized = handler;
}

/** The stored project key, or null. */
export function projectKey(): string | null {
  return sessionStorage.getItem(KEY);
}

/** The stored admin secret, or null. */
export function adminSecret(): string | null {
  return sessionStorage.getItem(ADMIN);
}

/** Stores (or, with null, forgets) the project key or the admin secret for this browser tab. */
export function remember(kind: "key" | "admin", value: string | null): void {
  const name = kind === "key" ? KEY : ADMIN;
  if (value) sessionStorage.setItem(name, value);
  else sessionStorage.removeItem(name);
}

type Reviver = (this: unknown, key: string, value: unknown, context?: { source?: string }) => unknown;
const keepBigIntegers: Reviver = (_key, value, context) =>
  typeof value === "number" && Number.isInteger(value) && !Number.isSafeInteger(value) && context?.source
    ? context.source
    : value;

/** Parses JSON, big integers as strings. */
export function parseJson(text: string): unknown {
  return JSON.parse(text, keepBigIntegers as never);
}

/** Calls the hub; admin routes present the admin secret, all others the project key. */
export async function api<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const headers = new Headers(init.headers);
  const credential = path.startsWith("/admin/") ? adminSecret() : projectKey();
  if (credential) headers.set("authorization", `Bearer ${credential}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(init.json);
  }
  const response = await fetch(path, { ...init, headers, body });
  const text = await response.text();
  const parsed =
    text && response.headers.get("content-type")?.includes("json") ? (parseJson(text) as Record<string, unknown>) : text;
  if (!response.ok) {
    const e = (typeof parsed === "object" ? parsed : {}) as { error?: string; message?: string };
    if (response.status === 401) unauthorized(e.message ?? "a key is needed");
    throw new ApiError(response.status, e.error ?? "http_error", e.message ?? `${response.status} ${response.statusText}`);
  }
  return parsed as T;
}

/** `/api/projects/<project>` + `path`. */
export function projectPath(project: string, path: string): string {
  return `/api/projects/${encodeURIComponent(project)}${path}`;
}

/** The epoch milliseconds a Flux index was assigned at (index >> 16). */
export function indexTime(index: string | number | bigint | null | undefined): number | null {
  if (index === null || index === undefined || index === "") return null;
  return Number(BigInt(index) >> 16n);
}

/** The first index that can be assigned at `millis`. */
export function indexAt(millis: number): string {
  return (BigInt(Math.floor(millis)) << 16n).toString();
}

/** A Flux Data value (base64) decoded as JSON when it is JSON, else as text. */
export function decodeData(value: string | null | undefined): unknown {
  if (!value) return null;
  const text = new TextDecoder().decode(Uint8Array.from(atob(value), (ch) => ch.charCodeAt(0)));
  try {
    return parseJson(text);
  } catch {
    return text;
  }
}

/** A Flux Data value (base64) for `payload` as JSON. */
export function encodeJson(payload: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(payload));
  return btoa(String.fromCharCode(...bytes));
}
