/**
 * Search workloads over `/search`: indexDocuments batches of 100 into a fresh collection each round,
 * and searchDocuments latencies (one request at a time) over a corpus indexed once before the
 * rounds, as large as its share of the time budget allows up to its target.
 */
import type { Hub } from "../../test/support/hub";
import { FluxSocket, type Json } from "../../test/support/flux-socket";
import { PAGE_SIZE, QUERY_SHAPES, type QueryShape, benchDocument } from "./documents";
import { type Spread, encodeFrames, sendPipelined, timed } from "./wire";
import { type OneOff, type ServiceSet, type ServiceWorkload, sized } from "./workload";

const DOCS_PER_REQUEST = 100;
const CORPUS_PROJECT = "svc-search";
const COLLECTION = "orders";

function indexBodies(from: number, count: number): Json[] {
  return Array.from({ length: count / DOCS_PER_REQUEST }, (_, r) => ({
    "@type": "indexDocuments",
    documents: Array.from({ length: DOCS_PER_REQUEST }, (_, k) => benchDocument(from + r * DOCS_PER_REQUEST + k, COLLECTION)),
    ifNotExists: false,
    guarantee: "STORED",
  }));
}

/**
 * Indexes the corpus in chunks of 10,000 until `target` documents or until `budgetMs` has passed;
 * each chunk's frames are encoded before its clock starts. `note` reports progress.
 */
async function buildCorpus(hub: Hub, target: number, budgetMs: number, spread: Spread, note: (text: string) => void): Promise<OneOff> {
  const chunk = Math.min(target, 10_000);
  const parts: number[] = [];
  let documents = 0;
  let seconds = 0;
  const started = performance.now();
  while (documents < target && performance.now() - started < budgetMs) {
    const frames = await encodeFrames(indexBodies(documents, chunk), spread.connections);
    const took = await sendPipelined(hub.wsUrl, "search", CORPUS_PROJECT, frames, spread.inFlight);
    documents += chunk;
    seconds += took;
    parts.push(chunk / took);
    note(`search corpus ${documents.toLocaleString("en-US")} documents, the last ${chunk.toLocaleString("en-US")} at ${Math.round(chunk / took)} documents/s`);
  }
  const n = (x: number) => x.toLocaleString("en-US");
  return {
    id: "search-corpus", label: `indexDocuments, building the ${n(documents)}-document corpus (once)`, service: "search",
    unit: "documents/s", items: documents, seconds, parts,
    detail: `${n(documents)} of ${n(target)} documents in ${seconds.toFixed(1)} s, chunks of ${n(chunk)} at ${parts.map((p) => n(Math.round(p))).join(", ")} documents/s`,
  };
}

/** Runs `queries` queries of `shape` (numbered from `first`), each page timed on its own; checks page sizes. */
async function timeQueries(hub: Hub, shape: QueryShape, first: number, queries: number): Promise<number[]> {
  const search = await FluxSocket.open(hub.wsUrl, "search", { projectId: CORPUS_PROJECT });
  try {
    const latencies: number[] = [];
    for (let n = first; n < first + queries; n++) {
      let lastHit: Json | null = null;
      for (let page = 0; page < shape.pages; page++) {
        const request = { "@type": "searchDocuments", query: { collection: [COLLECTION], constraints: shape.constraints(n) }, maxSize: PAGE_SIZE, lastHit };
        const { result, ms } = await timed(search, request, "searchDocumentsResult");
        latencies.push(ms);
        const matches = result.matches as Json[];
        if (matches.length === 0 || (shape.pages > 1 && matches.length < PAGE_SIZE)) {
          throw new Error(`${shape.id} query ${n} page ${page + 1}: ${matches.length} matches`);
        }
        lastHit = matches[matches.length - 1];
      }
    }
    return latencies;
  } finally {
    await search.close();
  }
}

/**
 * The search workloads: indexing into a fresh collection, and each query shape over the corpus,
 * which is built first (up to 100,000 documents, 10,000 with `quick`, within `corpusBudgetMs`).
 */
export async function searchWorkloads(hub: Hub, quick: boolean, spread: Spread, corpusBudgetMs: number, note: (text: string) => void): Promise<ServiceSet> {
  const corpus = await buildCorpus(hub, quick ? 10_000 : 100_000, corpusBudgetMs, spread, note);
  const documents = sized(2_000, quick, DOCS_PER_REQUEST);
  const queries = quick ? 5 : 8;
  const index = await encodeFrames(indexBodies(0, documents), spread.connections);
  const workloads: ServiceWorkload[] = [
    {
      id: "search-index", label: "indexDocuments, 100 documents/request, new collection", service: "search", unit: "documents/s",
      comparable: true, items: documents,
      run: async (r) => ({ rate: documents / (await sendPipelined(hub.wsUrl, "search", `svc-search-r${r}`, index, spread.inFlight)) }),
    },
    ...QUERY_SHAPES.map((shape): ServiceWorkload => {
      const perRound = Math.ceil(queries / shape.pages);
      return {
        id: `search-${shape.id}`, label: `searchDocuments: ${shape.label}`, service: "search", unit: "requests/s",
        comparable: false, items: perRound * shape.pages,
        run: async (r) => {
          const latenciesMs = await timeQueries(hub, shape, r * perRound, perRound);
          return { rate: (1000 * latenciesMs.length) / latenciesMs.reduce((a, b) => a + b, 0), latenciesMs };
        },
      };
    }),
  ];
  return { workloads, once: [corpus] };
}
