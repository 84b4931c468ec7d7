/**
 * The console's session: the project shown (kept in localStorage, it is no secret) and a generation
 * that makes pages load again after the credential changes. The key or admin secret itself lives in
 * sessionStorage (api.ts), never in the URL.
 */
import { createContext } from "preact";

/** What every page reads from the session. */
export interface SessionState {
  project: string;
  /** Bumped whenever the credential changes, so that pages load again. */
  generation: number;
}

export const Session = createContext<SessionState>({ project: "public", generation: 0 });
