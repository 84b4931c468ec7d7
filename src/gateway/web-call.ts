/**
 * The parts of a call under the web prefix that every web route shares: which project it is
 * for, the url and headers the handler sees (what is addressed to the hub is left out), and the
 * HTTP Response for a gateway's reply.
 */
import { bearerToken } from "../auth/presented-key";
import { BadRequest } from "../errors";
import { NAME } from "../log/log-path";
import type { GatewayReply } from "./web-response";

/** Header naming the project of a web request. */
export const PROJECT_HEADER = "x-flux-project";
/** Query parameters addressed to the hub, not to the handler. */
const HUB_PARAMS = ["projectId", "apiKey"];

/** The project: the `x-flux-project` header, else the `projectId` query parameter, else `public`. */
export function projectOf(request: Request, url: URL): string {
  const projectId = request.headers.get(PROJECT_HEADER) ?? url.searchParams.get("projectId") ?? "public";
  if (!NAME.test(projectId)) throw new BadRequest(`projectId "${projectId}" has characters outside ${NAME.source}`);
  return projectId;
}

/** The url the handler sees: `path` (after the prefix) with the query, less the hub's parameters. */
export function handlerUrl(path: string, url: URL): string {
  const query = new URLSearchParams(url.searchParams);
  for (const name of HUB_PARAMS) query.delete(name);
  const search = query.toString();
  return search ? `${path}?${search}` : path;
}

/**
 * The headers the handler sees: all but the project header, and the Authorization header when it
 * carried the hub's key (`keyId` is the key that opened the hub; in an open hub it is null and
 * the header belongs to the application).
 */
export function handlerHeaders(request: Request, keyId: string | null): [string, string][] {
  const hubKeyInHeader = keyId !== null && bearerToken(request) !== null;
  return [...request.headers].filter(([name]) => name !== PROJECT_HEADER && !(hubKeyInHeader && name === "authorization"));
}

/** The Response for a gateway's reply (its header pairs come back from RPC as plain arrays). */
export function replyResponse(reply: Omit<GatewayReply, "headers"> & { headers: string[][] }): Response {
  const headers = new Headers();
  for (const [name, value] of reply.headers) headers.append(name, value);
  // A handler that compressed its body says so; the platform must send the bytes as they are.
  return new Response(reply.body, { status: reply.status, headers, encodeBody: headers.has("content-encoding") ? "manual" : "automatic" });
}

