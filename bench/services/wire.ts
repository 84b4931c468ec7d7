/**
 * Wire helpers of the services suite: Flux requests encoded as LZ4 frames before the clock starts,
 * sent pipelined over a few sockets with a fixed number in flight per socket, and single requests
 * timed one at a time for latencies.
 */
import { compress } from "../../src/protocol/compression";
import { stringifyJson } from "../../src/protocol/json";
import { FluxSocket, type Json } from "../../test/support/flux-socket";

/** One encoded request and the id its result will carry. */
export interface Frame {
  requestId: number;
  bytes: Uint8Array;
}

/** How pipelined traffic is spread: sockets and requests awaiting their result per socket. */
export interface Spread {
  connections: number;
  inFlight: number;
}

const utf8 = new TextEncoder();

/** Encodes request bodies as frames dealt round-robin over `connections` lists; ids count from 1. */
export async function encodeFrames(bodies: Json[], connections: number): Promise<Frame[][]> {
  const frames: Frame[][] = Array.from({ length: connections }, () => []);
  for (const [n, body] of bodies.entries()) {
    const requestId = n + 1;
    const bytes = await compress(utf8.encode(stringifyJson({ ...body, requestId })), "LZ4");
    frames[n % connections].push({ requestId, bytes });
  }
  return frames;
}

/** Opens one socket per frame list on `path` as project `projectId`. */
export function openSockets(wsUrl: string, path: string, projectId: string, count: number): Promise<FluxSocket[]> {
  return Promise.all(
    Array.from({ length: count }, (_, c) => FluxSocket.open(wsUrl, path, { projectId, clientId: `bench-svc-${c}`, clientName: "bench" })),
  );
}

/** Fails on an error result; every request of the suite is answered with its own result type. */
export function expectType(result: Json, type: string): Json {
  if (result["@type"] !== type) throw new Error(`expected ${type}, got ${JSON.stringify(result).slice(0, 300)}`);
  return result;
}

/**
 * Sends every frame list over its own new socket, `inFlight` unanswered at a time per socket, and
 * resolves with the seconds from the first frame sent to the last result (all of type `resultType`).
 */
export async function sendPipelined(
  wsUrl: string,
  path: string,
  projectId: string,
  frames: Frame[][],
  inFlight: number,
  resultType = "void",
): Promise<number> {
  const sockets = await openSockets(wsUrl, path, projectId, frames.length);
  try {
    const start = performance.now();
    await Promise.all(sockets.map((socket, c) => pipeline(socket, frames[c], inFlight, resultType)));
    return (performance.now() - start) / 1000;
  } finally {
    await Promise.all(sockets.map((s) => s.close()));
  }
}

async function pipeline(socket: FluxSocket, frames: Frame[], inFlight: number, resultType: string): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < frames.length) {
      const frame = frames[next++];
      // Registered before sending, so the result never has to be looked up among earlier ones.
      const result = socket.result(frame.requestId, 120_000);
      socket.sendRaw(frame.bytes);
      expectType(await result, resultType);
      // The socket's history of results is not needed; emptying it keeps result() lookups cheap.
      socket.received.length = 0;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
}

/** Sends one request, waits for its result and returns it with the milliseconds it took. */
export async function timed(socket: FluxSocket, request: Json, resultType: string): Promise<{ result: Json; ms: number }> {
  const start = performance.now();
  const result = expectType(await socket.request(request, 120_000), resultType);
  const ms = performance.now() - start;
  socket.received.length = 0;
  return { result, ms };
}
