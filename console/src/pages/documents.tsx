/**
 * Search: the project's collections, a query built from Flux's constraint kinds (or edited as
 * JSON), the matching documents, and the facet counts of everything the query matches.
 */
import { useContext, useState } from "preact/hooks";
import { api, projectPath } from "../api";
import { Session } from "../session";
import { ErrorNote, Json, Section, formatTime, useLoad, Head } from "../ui";

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
  value: unknown;
}

interface FacetStat {
  name: string;
  value: string;
  count: number;
}

/** Facet stats grouped by name, counts descending as the hub sends them. */
function byName(stats: FacetStat[]): [string, FacetStat[]][] {
  const groups = new Map<string, FacetStat[]>();
  for (const s of stats) groups.set(s.name, [...(groups.get(s.name) ?? []), s]);
  return [...groups];
}

export function Documents() {
  const { project } = useContext(Session);
  const collections = useLoad(
    () => api<{ collections: { collection: string; documents: number }[] }>(projectPath(project, "/search/collections")),
    [project],
  );
  const [collection, setCollection] = useState("");
  const [kind, setKind] = useState("query");
  const [value, setValue] = useState("");
  const [path, setPath] = useState("");
  const [constraints, setConstraints] = useState("[]");
  const [matches, setMatches] = useState<Match[] | null>(null);
  const [facets, setFacets] = useState<FacetStat[]>([]);
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
      const [r, f] = await Promise.all([
        api<{ matches: Match[] }>(projectPath(project, "/search/search"), { method: "POST", json: { query, maxSize: 100 } }),
        api<{ stats: FacetStat[] }>(projectPath(project, "/search/facets"), { method: "POST", json: { query } }),
      ]);
      setMatches(r.matches);
      setFacets(f.stats);
    } catch (err) {
      setError(err as Error);
    }
  };
  return (
    <>
      <h1>Search</h1>
      <form onSubmit={search}>
        <div class="toolbar">
          <label>
            collection{" "}
            <input
              value={collection}
              onInput={(e) => setCollection(e.currentTarget.value)}
              name="collection"
              list="collections"
              required
            />
          </label>
          <datalist id="collections">
            {collections.data?.collections.map((c) => (
              <option key={c.collection} value={c.collection} />
            ))}
          </datalist>
          <label>
            constraint{" "}
            <select value={kind} onChange={(e) => setKind(e.currentTarget.value)}>
              {Object.keys(KINDS).map((k) => (
                <option key={k}>{k}</option>
              ))}
            </select>
          </label>
          <input
            value={value}
            onInput={(e) => setValue(e.currentTarget.value)}
            placeholder={kind === "between" ? "min..max" : "value"}
            aria-label="constraint value"
          />
          <input
            value={path}
            onInput={(e) => setPath(e.currentTarget.value)}
            placeholder={kind === "facet" ? "facet name" : "path (optional)"}
            aria-label="constraint path"
          />
          <button type="button" class="secondary" onClick={add}>
            Add constraint
          </button>
          <button type="submit">Search</button>
        </div>
        <label class="block">
          constraints (Flux JSON; all must hold)
          <textarea rows={5} value={constraints} onInput={(e) => setConstraints(e.currentTarget.value)} class="mono" />
        </label>
      </form>
      <ErrorNote error={error ?? collections.error} />
      {collections.data && !matches && (
        <Section title="Collections">
          {collections.data.collections.length === 0 ? (
            <p class="hint">No documents indexed.</p>
          ) : (
            <table data-testid="collections">
              <Head columns={["collection", { num: "documents" }]} />
              <tbody>
                {collections.data.collections.map((c) => (
                  <tr key={c.collection} onClick={() => setCollection(c.collection)}>
                    <td>{c.collection}</td>
                    <td class="num">{c.documents}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Section>
      )}
      {matches && (
        <div class="split">
          <Section title={`Matches (${matches.length})`}>
            <table data-testid="matches">
              <Head columns={["id", "timestamp", "value"]} />
              <tbody>
                {matches.map((m) => (
                  <tr key={m.id} onClick={() => setOpen(m)} class={open === m ? "selected" : ""}>
                    <td class="mono">{m.id}</td>
                    <td>{formatTime(m.timestamp)}</td>
                    <td class="preview">{JSON.stringify(m.value)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h4>Facets of everything the query matches</h4>
            <div data-testid="facets">
              {facets.length === 0 ? (
                <p class="hint">No facets.</p>
              ) : (
                byName(facets).map(([name, values]) => (
                  <p key={name}>
                    <strong>{name}</strong>: {values.map((v) => `${v.value} (${v.count})`).join(", ")}
                  </p>
                ))
              )}
            </div>
          </Section>
          {open && (
            <Section title={open.id}>
              <Json value={open} />
            </Section>
          )}
        </div>
      )}
    </>
  );
}
