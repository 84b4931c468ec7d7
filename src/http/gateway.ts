/**
 * Web requests through the hub (Flux's proxy, P/ProxyRequestHandler.java): an HTTP request under
 * the web prefix (WEB_PREFIX, default `/web`) is authorized like any project call, handed to one
 * of the project's WebGateway objects, published as a WEBREQUEST, and answered with the WEBRESPONSE
 * a handler publishes. The project comes from the `x-flux-project` header or the `projectId`
 * query parameter (default `public`); those and the hub's API key are addressed to the hub, so
 * they are not passed on to the handler.
 */
import { authorize } from "../auth/authorize";
import { bearerToken, withoutKeyPath } from "../auth/presented-key";
import { BadRequest, HubError, PayloadTooLarge, restoreError } from "../errors";
import { gatewayObjectName, pickShard } from "../gateway/gateway-address";
import type { WebRequestInit } from "../gateway/web-request";
import type { GatewayReply } from "../gateway/web-response";
import { NAME } from "../log/log-path";

/** Header naming the project of a web request. */
export const PROJECT_HEADER = "x-flux-project";
/** Largest request body: a WEBREQUEST is one message, and a stored batch row is capped. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Query parameters addressed to the hub, not to the handler. */
const HUB_PARAMS = ["projectId", "apiKey"];

/** The web prefix without a trailing slash, e.g. `/web`. */
export function webPrefix(env: Pick<Cloudflare.Env, "WEB_PREFIX">): string {
  const prefix = (env.WEB_PREFIX ?? "/web").replace(/\/+$/, "");
  return prefix.startsWith("/") ? prefix : `/${prefix}`;
}

/** The path under the web prefix (starting with `/`), or null when `url` is not a web request. */
export function webPath(url: URL, env: Pick<Cloudflare.Env, "WEB_PREFIX">): string | null {
  const prefix = webPrefix(env);
  const path = withoutKeyPath(url).pathname;
  if (path === prefix) return "/";
  return path.startsWith(`${prefix}/`) ? path.slice(prefix.length) : null;
}

function projectOf(request: Request, url: URL): string {
  const projectId = request.headers.get(PROJECT_HEADER) ?? url.searchParams.get("projectId") ?? "public";
  if (!NAME.test(projectId)) throw new BadRequest(`projectId "${projectId}" has characters outside ${NAME.source}`);
  return projectId;
}

/** The request as the handler sees it: relative url with query, headers and body. */
async function webRequestInit(request: Request, path: string, url: URL, keyId: string | null): Promise<WebRequestInit> {
  const query = new URLSearchParams(url.searchParams);
  for (const name of HUB_PARAMS) query.delete(name);
  const search = query.toString();
  // A Bearer token that opened the hub was the hub's key; in an open hub it belongs to the app.
  const hubKeyInHeader = keyId !== null && bearerToken(request) !== null;
  const headers = [...request.headers].filter(([name]) => name !== PROJECT_HEADER && !(hubKeyInHeader && name === "authorization"));
  const body = request.body ? new Uint8Array(await request.arrayBuffer()) : null;
  if (body && body.length > MAX_BODY_BYTES) throw new PayloadTooLarge(`request body of ${body.length} bytes exceeds ${MAX_BODY_BYTES}`);
  return { url: search ? `${path}?${search}` : path, method: request.method, headers, body };
}

/** The Response for a gateway's reply (its header pairs come back from RPC as plain arrays). */
function response(reply: Omit<GatewayReply, "headers"> & { headers: string[][] }): Response {
  const headers = new Headers();
  for (const [name, value] of reply.headers) headers.append(name, value);
  // A handler that compressed its body says so; the platform must send the bytes as they are.
  return new Response(reply.body, { status: reply.status, headers, encodeBody: headers.has("content-encoding") ? "manual" : "automatic" });
}

/** Handles an HTTP request under the web prefix (`path` is the part after it). */
export async function handleWebRequest(request: Request, env: Cloudflare.Env, path: string): Promise<Response> {
  try {
    if (request.headers.get("upgrade")?.toLowerCase() === "websocket") {
      return Response.json({ error: "not_implemented", message: "WebSocket upgrades under the web prefix are not supported yet" }, { status: 501 });
    }
    const url = new URL(request.url);
    const projectId = projectOf(request, url);
    const keyId = await authorize(env, request, projectId);
    const address = pickShard(projectId);
    const gateway = env.WEB_GATEWAY.get(env.WEB_GATEWAY.idFromName(gatewayObjectName(address)));
    return response(await gateway.handle(address, await webRequestInit(request, path, url, keyId)));
  } catch (error) {
    const e = restoreError(error);
    if (e instanceof HubError) return Response.json(e.toJSON(), { status: e.status });
    console.error("web request failed", e);
    return Response.json({ error: "internal", message: "internal error" }, { status: 500 });
  }
}
