/**
 * Search: a collection, a query built from Flux's constraint kinds (or edited as JSON), the matching
 * documents, and the facets of those matches counted by name and value.
 */
import { useContext, useState } from "preact/hooks";
import { api, projectPath } from "../api";
import { Session } from "../session";
import { ErrorNote, Json, Section, formatTime } from "../ui";

/** Flux's constraint kinds, each with the JSON it takes. */
const KINDS: Record<string, (value: string, path: string) => Record<string, unknown>> = {
  query: (value, path) => ({ query: value, ...(path ? { paths: [path] } : {}) }),
  match: (value, path) => ({ match: value, ...(path ? { paths: [path] } : {}) }),
  contains: (value, path) => ({ contains: value, prefixSearch: true, ...(path ? { paths: [path] } : {}) }),
  lookAhead: (value, path) => ({ lookAhead: value, ...(path ? { paths: [path] } : {}) }),
  between: (value, path) => {
    const [min, max] = value.split("..");
    return { min: min || null, max: max || null, paths: [path] };
  },
  exists: (_value, path) => ({ exists: path }),
  facet: (value, path) => ({ facet: { name: path, value } }),
};

interface Match {
  id: string;
  collection: string;
  timestamp: number | null;
  facets?: { name: string; value: string }[];
  value: unknown;
}

/** name → value → count over the matches. */
function facetCounts(matches: Match[]): [string, [string, number][]][] {
  const counts = new Map<string, Map<string, number>>();
  for (const m of matches) {
    for (const f of m.facets ?? []) {
      const byValue = counts.get(f.name) ?? new Map<string, number>();
      byValue.set(f.value, (byValue.get(f.value) ?? 0) + 1);
      counts.set(f.name, byValue);
    }
  }
  return [...counts].map(([name, values]) => [name, [...values].sort((a, b) => b[1] - a[1])]);
}

export function Documents() {
  const { project } = useContext(Session);
  const [collection, setCollection] = useState("");
  const [kind, setKind] = useState("query");
  const [value, setValue] = useState("");
  const [path, setPath] = useState("");
  const [constraints, setConstraints] = useState("[]");
  const [matches, setMatches] = useState<Match[] | null>(null);
  const [open, setOpen] = useState<Match | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const add = () => {
    try {
      setConstraints(JSON.stringify([...(JSON.parse(constraints) as unknown[]), KINDS[kind](value, path)], null, 2));
    } catch (e) {
      setError(e as Error);
    }
  };
  const search = async (e: Event) => {
    e.preventDefault();
    try {
      setError(null);
      const query = { collections: [collection], constraints: JSON.parse(constraints) as unknown };
      const r = await api<{ matches: Match[] }>(projectPath(project, "/search/search"), { method: "POST", json: { query, maxSize: 100 } });
      setMatches(r.matches);
    } catch (err) {
      setError(err as Error);
    }
  };
  return (
    <>
      <h1>Search</h1>
      <form onSubmit={search}>
        <div class="toolbar">
          <label>collection <input value={collection} onInput={(e) => setCollection(e.currentTarget.value)} name="collection" required /></label>
          <label>constraint <select value={kind} onChange={(e) => setKind(e.currentTarget.value)}>{Object.keys(KINDS).map((k) => <option key={k}>{k}</option>)}</select></label>
          <input value={value} onInput={(e) => setValue(e.currentTarget.value)} placeholder={kind === "between" ? "min..max" : "value"} aria-label="constraint value" />
          <input value={path} onInput={(e) => setPath(e.currentTarget.value)} placeholder={kind === "facet" ? "facet name" : "path (optional)"} aria-label="constraint path" />
          <button type="button" class="secondary" onClick={add}>Add constraint</button>
          <button type="submit">Search</button>
        </div>
        <label class="block">constraints (Flux JSON; all must hold)
          <textarea rows={5} value={constraints} onInput={(e) => setConstraints(e.currentTarget.value)} class="mono" />
        </label>
      </form>
      <ErrorNote error={error} />
      {matches && (
        <div class="split">
          <Section title={`Matches (${matches.length})`}>
            <table data-testid="matches">
              <thead><tr><th>id</th><th>timestamp</th><th>value</th></tr></thead>
              <tbody>{matches.map((m) => <tr key={m.id} onClick={() => setOpen(m)} class={open === m ? "selected" : ""}><td class="mono">{m.id}</td><td>{formatTime(m.timestamp)}</td><td class="preview">{JSON.stringify(m.value)}</td></tr>)}</tbody>
            </table>
            <h4>Facets of these matches</h4>
            {facetCounts(matches).map(([name, values]) => <p key={name}><strong>{name}</strong>: {values.map(([v, n]) => `${v} (${n})`).join(", ")}</p>)}
          </Section>
          {open && <Section title={open.id}><Json value={open} /></Section>}
        </div>
      )}
    </>
  );
}
