/**
 * Who asks a Consumer for messages and where the answers go. A Read reaches a Consumer from a
 * ClientSession (a client's socket), a WebGateway (the hub waiting for WEBRESPONSEs) or a
 * WebSocketGateway (the hub reading what handlers push to browser sockets); its batch is sent
 * straight to that object by whichever partition answers it.
 */
import type { Compression } from "../protocol/compression";
import { sessionStub } from "../session/session-address";
import { gatewayStub } from "../gateway/gateway-address";
import { socketGatewayStub } from "../gateway/socket-address";

/** Which kind of object parked a Read and gets its result. */
export type DeliverTo = "session" | "gateway" | "socket";

/** Who sent a tracker request. */
export interface Requester {
  sessionId: string;
  clientId: string;
  /** Default "session". */
  deliverTo?: DeliverTo;
  /** How a session's socket compresses frames, if known. */
  compression?: Compression;
}

/** Where a tracker's results go: the object named `sessionId` of kind `deliverTo`. */
export interface Recipient {
  sessionId: string;
  deliverTo: DeliverTo;
  /** A session's frame compression, if known: an LZ4 session takes frames made ahead as they are. */
  compression?: Compression;
}

/** What every recipient object offers. */
export interface RecipientStub {
  /** Sends an encoded result; false when its socket (or every socket) is gone. */
  deliver(result: string): Promise<boolean>;
  /** Whether it is still there (false after a crash dropped a socket unannounced). */
  isOpen(): Promise<boolean>;
}

/** The stub of a recipient object. */
export function recipientStub(env: Cloudflare.Env, to: Recipient): RecipientStub {
  switch (to.deliverTo) {
    case "gateway":
      return gatewayStub(env, to.sessionId);
    case "socket":
      return socketGatewayStub(env, to.sessionId);
    case "session":
      return sessionStub(env, to.sessionId);
  }
}
