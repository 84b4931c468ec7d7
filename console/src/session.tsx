/**
 * The console's session: the project shown (kept in localStorage, it is no secret) and the access
 * generation that makes pages load again after the key changes. The key or admin secret lives in sessionStorage (api.ts), never in the URL.
 */
import { createContext } from "preact";

/** What every page reads from the session. */
export interface SessionState {
  project: string;
  /** Bumped whenever the credential or project changes, so that pages load again. */
  generation: number;
}

export const Session = createContext<SessionState>({ project: "public", generation: 0 });
