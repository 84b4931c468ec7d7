/**
 * The WebSocket handshake as Flux's proxy sees it (P/ProxyRequestHandler.java `tryUpgrade`).
 * Browsers cannot set headers on a WebSocket, so the proxy reads an even list of offered
 * subprotocols as URL-encoded header name and value pairs (`new WebSocket(url, ["Authorization",
 * "Bearer%20…"])`) and adds them to the request's headers; the upgrade answers with the first
 * offered subprotocol, which the browser requires to be one it offered.
 */

const PROTOCOL_HEADER = "sec-websocket-protocol";

/** The subprotocols offered, in order. */
export function offeredProtocols(headers: readonly [string, string][]): string[] {
  return headers
    .filter(([name]) => name.toLowerCase() === PROTOCOL_HEADER)
    .flatMap(([, value]) => value.split(",").map((p) => p.trim()))
    .filter((p) => p !== "");
}

function decoded(text: string): string | null {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return null;
  }
}

/** The headers of the handshake request: the request's own plus those passed as subprotocol pairs. */
export function handshakeHeaders(headers: readonly [string, string][]): [string, string][] {
  const protocols = offeredProtocols(headers);
  const all: [string, string][] = [...headers];
  if (protocols.length === 0 || protocols.length % 2 !== 0) return all;
  for (let i = 0; i < protocols.length; i += 2) {
    const name = decoded(protocols[i]);
    const value = decoded(protocols[i + 1]);
    // A pair that does not decode is skipped, as the proxy skips it.
    if (name !== null && value !== null) all.push([name.toLowerCase(), value]);
  }
  return all;
}

/** The subprotocol the upgrade answers with, or null when none was offered. */
export function chosenProtocol(headers: readonly [string, string][]): string | null {
  return offeredProtocols(headers)[0] ?? null;
}
