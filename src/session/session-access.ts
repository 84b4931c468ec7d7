/**
 * Sessions opened while the hub ran open hold no key. Once the first key exists they must not
 * keep reading and writing: creating it closes them (see src/auth/keyless-sessions.ts), and each
 * one also re-checks before it handles a frame or delivers a result, which catches a session that
 * opened in another isolate while the key was being created.
 */
import { hubIsOpen } from "../auth/hub-mode";
import type { SessionAttachment } from "./session-info";

/** The close code and reason a keyless session gets once the hub requires keys. */
export const KEYS_REQUIRED = { code: 1008, reason: "the hub now requires an API key: reconnect with one" } as const;

/**
 * Whether the session on `ws` (whose attachment the caller has read) may go on. When it holds no
 * key and the hub is closed, the socket is closed with KEYS_REQUIRED and the answer is false.
 */
export async function mayContinue(ws: WebSocket, { keyId }: SessionAttachment, db: D1Database): Promise<boolean> {
  if (keyId || (await hubIsOpen(db))) return true;
  closeForKeys(ws);
  return false;
}

/** Closes a keyless session's socket at once; returns whether it was keyless. */
export function closeIfKeyless(ws: WebSocket): boolean {
  const { keyId } = ws.deserializeAttachment() as SessionAttachment;
  if (keyId) return false;
  closeForKeys(ws);
  return true;
}

function closeForKeys(ws: WebSocket): void {
  try {
    ws.close(KEYS_REQUIRED.code, KEYS_REQUIRED.reason);
  } catch {
    // Already closed.
  }
}
