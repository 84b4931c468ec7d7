/** Small building blocks shared by the console's pages: loading state, errors, JSON and times. */
import type { ComponentChildren } from "preact";
import { useCallback, useContext, useEffect, useState } from "preact/hooks";
import { ApiError } from "./api";
import { Session } from "./session";

/** The state of one load: its data, its error, and a way to run it again. */
export interface Load<T> {
  data: T | null;
  error: ApiError | Error | null;
  loading: boolean;
  reload: () => void;
}

/** Runs `fetcher` now, whenever `deps` change and, with `everyMs`, on that interval. */
export function useLoad<T>(fetcher: () => Promise<T>, deps: unknown[], everyMs?: number): Load<T> {
  const session = useContext(Session);
  const [state, setState] = useState<{ data: T | null; error: Error | null; loading: boolean }>({
    data: null,
    error: null,
    loading: true,
  });
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  useEffect(() => {
    let live = true;
    // Only the latest call may set the state: a slow older answer must not undo a newer one.
    let latest = 0;
    const run = () => {
      const call = ++latest;
      const current = () => live && call === latest;
      return fetcher().then(
        (data) => current() && setState({ data, error: null, loading: false }),
        (error: Error) => current() && setState({ data: null, error, loading: false }),
      );
    };
    void run();
    const timer = everyMs ? setInterval(run, everyMs) : undefined;
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [...deps, tick, session.generation]);
  return { ...state, reload };
}

/** An error as the hub named it. */
export function ErrorNote({ error }: { error: Error | null }) {
  if (!error) return null;
  const code = error instanceof ApiError ? `${error.status} ${error.code}: ` : "";
  return (
    <p class="error" role="alert">
      {code}
      {error.message}
    </p>
  );
}

/** A titled section. */
export function Section(props: { title: string; actions?: ComponentChildren; children: ComponentChildren }) {
  return (
    <section class="card">
      <header>
        <h2>{props.title}</h2>
        {props.actions}
      </header>
      {props.children}
    </section>
  );
}

/** A table's header row; `{ num }` columns are right-aligned, for numbers. */
export function Head({ columns }: { columns: (string | { num: string })[] }) {
  return (
    <thead>
      <tr>
        {columns.map((c, i) =>
          typeof c === "string" ? (
            <th key={i}>{c}</th>
          ) : (
            <th key={i} class="num">
              {c.num}
            </th>
          ),
        )}
      </tr>
    </thead>
  );
}

/** An operator action's outcome: the effect it reported, or its failure. */
export interface Action {
  note: string | null;
  error: Error | null;
  /** Asks `question`; if confirmed, runs `action`, shows the effect it returns and calls `then`. */
  run(question: string | null, action: () => Promise<string>, then?: () => void): Promise<void>;
}

/** State for the actions of one page: each asks for confirmation and shows its effect. */
export function useAction(): Action {
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const run = async (question: string | null, action: () => Promise<string>, then?: () => void) => {
    if (question !== null && !confirm(question)) return;
    try {
      setError(null);
      setNote(await action());
      then?.();
    } catch (e) {
      setNote(null);
      setError(e as Error);
    }
  };
  return { note, error, run };
}

/** What an action reported. */
export function ActionNote({ action }: { action: Action }) {
  return (
    <>
      <ErrorNote error={action.error} />
      {action.note && (
        <p class="note" role="status">
          {action.note}
        </p>
      )}
    </>
  );
}

/** Pretty-printed JSON. */
export function Json({ value }: { value: unknown }) {
  return <pre class="json">{JSON.stringify(value, null, 2)}</pre>;
}

/** An epoch-millisecond time in the browser's zone, ISO-like. */
export function formatTime(millis: number | null | undefined): string {
  if (millis === null || millis === undefined || Number.isNaN(millis)) return "";
  const d = new Date(millis);
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** Seconds as a short duration. */
export function formatSeconds(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** The short name of a Java class (`com.example.OrderPlaced` → `OrderPlaced`). */
export function shortType(type: string | null | undefined): string {
  if (!type) return "";
  return type.slice(type.lastIndexOf(".") + 1);
}
