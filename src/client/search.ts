/**
 * The hub's document store over the `/search` endpoint: plain JSON objects are indexed as Flux
 * documents (encoded client-side, as the Java client does), fetched back by id, and found with
 * {@link Search} queries whose hits are paged with Flux's `lastHit` keyset.
 */
import { type SerializedDocument, decodeDocument, revertJson, serializeJsonDocument } from "../protocol/document";
import type { WireResult } from "./codec";
import type { Constraint } from "./constraints";
import type { Endpoints } from "./endpoints";
import { FluxError } from "./errors";

/** A facet value, or several. */
type FacetValue = string | number | boolean;

/** How a document is indexed beside its JSON value. */
export interface IndexOptions {
  /** The document's time, what `since`/`before` and the default order use (default: now). */
  timestamp?: Date | number;
  /** The end of the document's time span (default: its timestamp). */
  end?: Date | number;
  /** Facets to filter on with `facet(name, value)`; a list gives the facet several values. */
  facets?: Record<string, FacetValue | readonly FacetValue[]>;
  /** Sort keys for `sortBy(path)`: values compare as text, so encode numbers to sort as text (e.g. zero-padded). */
  sortables?: Record<string, string>;
  /** `data.type` of the document, e.g. the class a Java reader should map it to. */
  type?: string;
}

/** One document of {@link FluxClient.indexMany}. */
export interface DocumentInput extends IndexOptions {
  id: string;
  value: unknown;
}

/** A stored document. */
export interface SearchHit<T = unknown> {
  id: string;
  collection: string;
  /** Epoch ms, or null when indexed without a timestamp. */
  timestamp: number | null;
  end: number | null;
  /** The JSON value that was indexed. */
  value: T;
  /** The document's facets. */
  facets: { name: string; value: string }[];
}

/** Most hits the hub returns for one search. */
const MAX_PAGE = 10_000;

const millis = (t: Date | number | undefined): number | undefined => (t instanceof Date ? t.getTime() : t);

/** The SerializedDocument for `value` under `collection`/`id`. */
function documentOf(collection: string, input: DocumentInput): SerializedDocument {
  if (!collection) throw new FluxError("invalid_argument", "collection is required");
  if (!input.id) throw new FluxError("invalid_argument", "a document needs an id");
  const timestamp = millis(input.timestamp) ?? Date.now();
  const facets = Object.entries(input.facets ?? {}).flatMap(([name, v]) => (Array.isArray(v) ? v : [v]).map((value) => ({ name, value: String(value) })));
  const indexes = Object.entries(input.sortables ?? {}).map(([name, value]) => ({ name, value }));
  return serializeJsonDocument({ id: input.id, collection, value: input.value, timestamp, end: millis(input.end) ?? timestamp, facets, indexes, type: input.type });
}

/** The hit a stored document stands for. */
function hitOf<T>(d: SerializedDocument): SearchHit<T> {
  let value: unknown;
  try {
    value = revertJson(decodeDocument(d.document.value ?? "").entries);
  } catch (e) {
    throw new FluxError("hub_error", `document ${d.collection}/${d.id} is not a Flux document: ${(e as Error).message}`);
  }
  return { id: d.id, collection: d.collection, timestamp: d.timestamp ?? null, end: d.end ?? null, value: value as T, facets: d.facets ?? [] };
}

/** Indexes `documents` into `collection` (replacing documents with the same id unless `ifNotExists`). */
export async function indexDocuments(endpoints: Endpoints, collection: string, documents: readonly DocumentInput[], ifNotExists = false): Promise<void> {
  if (documents.length === 0) return;
  const serialized = documents.map((d) => documentOf(collection, d));
  await endpoints.connection("search").request({ "@type": "indexDocuments", documents: serialized, ifNotExists, guarantee: "STORED" });
}

/** The document `id` of `collection`, or undefined when there is none. */
export async function getDocument<T>(endpoints: Endpoints, collection: string, id: string): Promise<SearchHit<T> | undefined> {
  const result = await endpoints.connection("search").request<WireResult & { document?: SerializedDocument | null }>({ "@type": "getDocument", collection, id });
  return result.document ? hitOf<T>(result.document) : undefined;
}

/** Deletes the document `id` of `collection` (a no-op when absent). */
export async function deleteDocument(endpoints: Endpoints, collection: string, id: string): Promise<void> {
  await endpoints.connection("search").request({ "@type": "deleteDocumentById", collection, id, guarantee: "STORED" });
}

/**
 * A search over one or more collections, from {@link FluxClient.search}: add constraints, a time
 * window and an order, then `fetch` a page or iterate over every hit (paged by `lastHit`).
 */
export class Search<T = unknown> implements AsyncIterable<SearchHit<T>> {
  private readonly constraints: Constraint[] = [];
  private readonly sorting: string[] = [];
  private window: { since?: string; before?: string; sinceExclusive?: boolean; beforeInclusive?: boolean } = {};
  private size = 100;

  /** Use {@link FluxClient.search}. */
  constructor(
    private readonly endpoints: Endpoints,
    private readonly collections: readonly string[],
  ) {
    if (collections.length === 0 || collections.some((c) => !c)) throw new FluxError("invalid_argument", "search needs a collection");
  }

  /** Adds constraints; a hit must satisfy all of them. */
  where(...constraints: Constraint[]): this {
    this.constraints.push(...constraints);
    return this;
  }

  /** Only documents whose time span ends at or after `time` (after it when `exclusive`). */
  since(time: Date | number, exclusive = false): this {
    this.window = { ...this.window, since: new Date(time).toISOString(), sinceExclusive: exclusive };
    return this;
  }

  /** Only documents whose timestamp is before `time` (or at it when `inclusive`). */
  before(time: Date | number, inclusive = false): this {
    this.window = { ...this.window, before: new Date(time).toISOString(), beforeInclusive: inclusive };
    return this;
  }

  /**
   * Orders hits by `timestamp`, `end` or a sortable path, each descending with a leading `-`
   * (default: `-timestamp`, newest first). Ties break on collection and id.
   */
  sortBy(...keys: string[]): this {
    this.sorting.push(...keys);
    return this;
  }

  /** Hits per request when iterating (default 100, at most 10 000). */
  pageSize(size: number): this {
    if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE) throw new FluxError("invalid_argument", `pageSize must be 1 to ${MAX_PAGE}`);
    this.size = size;
    return this;
  }

  /** The first `maxSize` hits (default: the page size). */
  async fetch(maxSize = this.size): Promise<SearchHit<T>[]> {
    return (await this.page(Math.min(maxSize, MAX_PAGE), null)).map(hitOf<T>);
  }

  /** The first hit, or undefined when nothing matches. */
  async first(): Promise<SearchHit<T> | undefined> {
    return (await this.fetch(1))[0];
  }

  /** Every hit, fetched a page at a time, each page continuing after the last hit of the one before. */
  async *[Symbol.asyncIterator](): AsyncGenerator<SearchHit<T>> {
    for (let lastHit: SerializedDocument | null = null; ; ) {
      const page = await this.page(this.size, lastHit);
      for (const d of page) yield hitOf<T>(d);
      if (page.length < this.size) return;
      lastHit = page[page.length - 1];
    }
  }

  /** Deletes every document that matches (the sort order and page size do not matter). */
  async delete(): Promise<void> {
    await this.endpoints.connection("search").request({ "@type": "deleteDocuments", query: this.query(), guarantee: "STORED" });
  }

  private query(): Record<string, unknown> {
    return { collection: [...this.collections], constraints: this.constraints, ...this.window };
  }

  private async page(maxSize: number, lastHit: SerializedDocument | null): Promise<SerializedDocument[]> {
    const result = await this.endpoints.connection("search").request<WireResult & { matches: SerializedDocument[] }>({
      "@type": "searchDocuments",
      query: this.query(),
      sorting: this.sorting,
      maxSize,
      // The keyset is the hit's sort key: its id, collection, times and sortables, not its body.
      lastHit: lastHit && { id: lastHit.id, collection: lastHit.collection, timestamp: lastHit.timestamp, end: lastHit.end, indexes: lastHit.indexes },
    });
    return result.matches;
  }
}
