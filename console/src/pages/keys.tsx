/** API keys of the project, for the holder of the admin secret: list, create (shown once), revoke. */
import { useContext, useState } from "preact/hooks";
import { adminSecret, api } from "../api";
import { Session } from "../session";
import { ActionNote, ErrorNote, Head, Section, useAction, useLoad } from "../ui";

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
  const action = useAction();
  const create = (e: Event) => {
    e.preventDefault();
    void action.run(
      null,
      async () => {
        const key = await api<{ id: string; key: string }>(path, { method: "POST", json: label ? { label } : {} });
        setCreated(key.key);
        return `Key ${key.id} created.`;
      },
      keys.reload,
    );
  };
  const revoke = (k: Key) =>
    action.run(
      `Revoke key ${k.id}${k.label ? ` (${k.label})` : ""}? Clients using it lose access.`,
      async () => {
        await api(`${path}/${k.id}`, { method: "DELETE" });
        return `Key ${k.id} revoked.`;
      },
      keys.reload,
    );
  return (
    <>
      <h1>API keys of {project}</h1>
      {!secret && <p class="hint">Managing keys needs the admin secret: choose Access ▸ Admin secret.</p>}
      <ErrorNote error={keys.error} />
      <ActionNote action={action} />
      {created && (
        <p class="note">
          New key, shown once: <code data-testid="new-key">{created}</code>
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
            <Head columns={["id", "label", "created", "revoked", ""]} />
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
