/** Aggregates: an aggregate's events (decoded) and its snapshot, which Flux keeps in key-value as `$snapshot_<id>`. */
import { useContext, useState } from "preact/hooks";
import { ApiError, api, decodeData, projectPath } from "../api";
import { Session } from "../session";
import type { StoredMessage } from "../types";
import { ErrorNote, Json, Section, formatTime, shortType, Head } from "../ui";

interface Events {
  events: StoredMessage[];
  lastSequenceNumber: number | null;
}

export function Aggregates() {
  const { project } = useContext(Session);
  const [id, setId] = useState("");
  const [state, setState] = useState<{ id: string; events: Events; snapshot: unknown } | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const load = async (e: Event) => {
    e.preventDefault();
    try {
      setError(null);
      const key = id.trim();
      const [events, snapshot] = await Promise.all([
        api<Events>(projectPath(project, `/aggregates/${encodeURIComponent(key)}/events?limit=1000`)),
        api<{ value: string | null; type: string | null }>(
          projectPath(project, `/kv/${encodeURIComponent(`$snapshot_${key}`)}`),
        ).catch((err) => {
          if (err instanceof ApiError && err.status === 404) return null;
          throw err;
        }),
      ]);
      setState({ id: key, events, snapshot: snapshot && { type: snapshot.type, value: decodeData(snapshot.value) } });
    } catch (err) {
      setError(err as Error);
    }
  };
  return (
    <>
      <h1>Aggregates</h1>
      <form class="toolbar" onSubmit={load}>
        <label>
          aggregate id <input value={id} onInput={(e) => setId(e.currentTarget.value)} name="aggregateId" size={40} />
        </label>
        <button type="submit">Load</button>
      </form>
      <ErrorNote error={error} />
      {state && (
        <div class="split">
          <Section title={`Events of ${state.id} (last sequence number ${state.events.lastSequenceNumber ?? "none"})`}>
            <table data-testid="events">
              <Head columns={["#", "type", "timestamp", "payload"]} />
              <tbody>
                {state.events.events.map((m, i) => (
                  <tr key={i}>
                    <td>{m.metadata?.$sequenceNumber ?? i}</td>
                    <td>{shortType(m.data.type)}</td>
                    <td>{formatTime(m.timestamp)}</td>
                    <td class="preview">{JSON.stringify(decodeData(m.data.value))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Section>
          <Section title="Snapshot">
            {state.snapshot ? <Json value={state.snapshot} /> : <p class="hint">No snapshot stored.</p>}
          </Section>
        </div>
      )}
    </>
  );
}
