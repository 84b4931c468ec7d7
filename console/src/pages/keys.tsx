/** API keys of the project, for the holder of the admin secret: list, create (shown once), revoke. */
import { useContext, useState } from "preact/hooks";
import { adminSecret, api } from "../api";
import { Session } from "../session";
import { ErrorNote, Section, useLoad } from "../ui";

interface Key {
  id: string;
  label: string | null;
  createdAt: string;
  revokedAt: string | null;
}

export function Keys() {
  const { project, generation } = useContext(Session);
  const path = `/admin/projects/${encodeURIComponent(project)}/keys`;
  const secret = adminSecret();
  const keys = useLoad(async () => (secret ? api<{ keys: Key[] }>(path) : null), [path, secret, generation]);
  const [label, setLabel] = useState("");
  const [created, setCreated] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const create = async (e: Event) => {
    e.preventDefault();
    try {
      const key = await api<{ key: string }>(path, { method: "POST", json: label ? { label } : {} });
      setCreated(key.key);
      keys.reload();
    } catch (err) {
      setError(err as Error);
    }
  };
  const revoke = async (k: Key) => {
    if (!confirm(`Revoke key ${k.id}${k.label ? ` (${k.label})` : ""}? Clients using it lose access.`)) return;
    try {
      await api(`${path}/${k.id}`, { method: "DELETE" });
      keys.reload();
    } catch (err) {
      setError(err as Error);
    }
  };
  return (
    <>
      <h1>API keys of {project}</h1>
      {!secret && <p class="hint">Managing keys needs the admin secret: choose Access ▸ Admin secret.</p>}
      <ErrorNote error={keys.error ?? error} />
      {created && (
        <p class="note" role="status">
          New key, shown once: <code>{created}</code>
        </p>
      )}
      <form class="toolbar" onSubmit={create}>
        <label>
          label <input value={label} onInput={(e) => setLabel(e.currentTarget.value)} />
        </label>
        <button type="submit">Create key</button>
      </form>
      {keys.data && (
        <Section title="Keys">
          <table>
            <thead>
              <tr>
                <th>id</th>
                <th>label</th>
                <th>created</th>
                <th>revoked</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {keys.data.keys.map((k) => (
                <tr key={k.id}>
                  <td class="mono">{k.id}</td>
                  <td>{k.label}</td>
                  <td>{k.createdAt}</td>
                  <td>{k.revokedAt}</td>
                  <td>
                    {!k.revokedAt && (
                      <button class="danger" onClick={() => void revoke(k)}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
      )}
    </>
  );
}
