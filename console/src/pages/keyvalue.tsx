/** Key-value lookup: a key's Flux Data, its value decoded. */
import { useContext, useState } from "preact/hooks";
import { api, decodeData, projectPath } from "../api";
import { Session } from "../session";
import { ErrorNote, Json, Section } from "../ui";

export function KeyValue() {
  const { project } = useContext(Session);
  const [key, setKey] = useState("");
  const [found, setFound] = useState<{ key: string; data: Record<string, unknown> } | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const lookup = async (e: Event) => {
    e.preventDefault();
    try {
      setError(null);
      setFound(null);
      const data = await api<Record<string, unknown>>(projectPath(project, `/kv/${encodeURIComponent(key)}`));
      setFound({ key, data });
    } catch (err) {
      setError(err as Error);
    }
  };
  return (
    <>
      <h1>Key-value</h1>
      <form class="toolbar" onSubmit={lookup}>
        <label>
          key <input value={key} onInput={(e) => setKey(e.currentTarget.value)} name="key" size={40} />
        </label>
        <button type="submit">Look up</button>
      </form>
      <ErrorNote error={error} />
      {found && (
        <Section title={found.key}>
          <p>
            type {String(found.data.type ?? "none")}, revision {String(found.data.revision ?? 0)}, format{" "}
            {String(found.data.format ?? "json")}
          </p>
          <Json value={decodeData(found.data.value as string | null)} />
        </Section>
      )}
    </>
  );
}
