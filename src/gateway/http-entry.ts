/**
 * Web requests through the hub (Flux's proxy, P/ProxyRequestHandler.java): an HTTP request under
 * the web prefix (WEB_PREFIX, default `/web`) is authorized like any project call, handed to one
 * of the project's WebGateway objects, published as a WEBREQUEST, and answered with the WEBRESPONSE
 * a handler publishes. The project comes from the `x-flux-project` header or the `projectId`
 * query parameter (default `public`); those and the hub's API key are addressed to the hub, so
 * they are not passed on to the handler.
 */
import { authorize } from "../auth/authorize";
import { withoutKeyPath } from "../auth/presented-key";
import { PayloadTooLarge } from "../errors";
import { gatewayStub, pickShard } from "./gateway-address";
import { errorResponse } from "../errors";
import { handlerHeaders, handlerUrl, projectOf, replyResponse } from "./web-call";
import type { WebRequestInit } from "./web-request";

/** Largest request body: a WEBREQUEST is one message, and a stored batch row is capped. */
export const MAX_BODY_BYTES = 1024 * 1024;

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

/** The request as the handler sees it: relative url with query, headers and body. */
async function webRequestInit(request: Request, path: string, url: URL, keyId: string | null): Promise<WebRequestInit> {
  const body = request.body ? new Uint8Array(await request.arrayBuffer()) : null;
  if (body && body.length > MAX_BODY_BYTES) throw new PayloadTooLarge(`request body of ${body.length} bytes exceeds ${MAX_BODY_BYTES}`);
  return { url: handlerUrl(path, url), method: request.method, headers: handlerHeaders(request, keyId), body };
}

/** Handles an HTTP request under the web prefix (`path` is the part after it). */
export async function handleWebRequest(request: Request, env: Cloudflare.Env, path: string): Promise<Response> {
  try {
    const url = new URL(request.url);
    const projectId = projectOf(request, url);
    const keyId = await authorize(env, request, projectId);
    const address = pickShard(projectId);
    const gateway = gatewayStub(env, address);
    return replyResponse(await gateway.handle(address, await webRequestInit(request, path, url, keyId)));
  } catch (error) {
    return errorResponse(error, "web request failed");
  }
}
