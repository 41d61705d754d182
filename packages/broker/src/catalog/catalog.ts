import type { DocumentCallback, DocumentName, NamedDocument } from "@cerulean/event-model";
import { isDocumentName, validateDocument } from "@cerulean/event-model";
import {
  AmbiguousUidError,
  BrokerError,
  DuplicateScanIdError,
  InvalidQueryError,
  RunIndexError,
  RunNotFoundError,
} from "../errors.ts";
import {
  type Filter,
  isSetFilter,
  keyPath,
  MIN_UID_PREFIX,
  toFilters,
  toSorts,
} from "../query/filters.ts";
import type { Query, SortKey } from "../query/queries.ts";
import { type FillConfig, Run } from "../run/run.ts";
import { DocumentWriter } from "./document-writer.ts";
import type { CatalogStorage, StoredRun } from "./storage.ts";
import { WriteQueue } from "./write-queue.ts";

export interface CatalogOptions {
  /** Validate every document against its schema before queuing it (default true). */
  validate?: boolean;
  /** Rows per stored page when packing single events (default 1,000). */
  pageRows?: number;
  /** Longest wait before queued documents are committed (default 50 ms). */
  maxDelayMs?: number;
  /** Documents per transaction at most (default 5,000). */
  maxBatch?: number;
  /**
   * Rows (events, datums) waiting to be committed before `insert` asks the engine to wait for
   * the catalog (default 100,000), which bounds the memory a fast fly scan can take.
   */
  highWaterRows?: number;
  /** Handlers for external data (`read({ fill: true })`, `documents({ fill: true })`). */
  fill?: FillConfig;
}

/** Search options: sort keys (`"-start.time"` or {key, direction}), offset and limit. */
export interface SearchOptions {
  sort?: readonly (string | SortKey)[];
  offset?: number;
  limit?: number;
}

/** Parses "-start.time" / "start.scan_id" / "-" (reverse insertion order) into a SortKey. */
export function parseSortKey(key: string | SortKey): SortKey {
  if (typeof key !== "string") return key;
  return key.startsWith("-") ? { key: key.slice(1), direction: -1 } : { key, direction: 1 };
}

function checkCount(value: number | undefined, what: string): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
    throw new InvalidQueryError(`${what} must be a non-negative integer, got ${value}`);
  }
}

/**
 * The run catalog: ingests document streams and finds and reads runs, over any CatalogStorage.
 * @example
 * const catalog = await openCatalog("./data/catalog.sqlite");
 * RE.subscribe(catalog.insert);
 * const run = await catalog.get(-1);
 * const { data } = await (await run.stream("primary")).read();
 */
export class Catalog {
  readonly storage: CatalogStorage;
  /**
   * Bluesky's `callback(name, doc)`: queues the document (throws at once if it is invalid) and
   * commits it within `maxDelayMs`. A document that fails later makes the next call throw.
   * When `highWaterRows` rows wait, it returns a promise of their commit, which the RunEngine
   * waits for before its next message.
   */
  readonly insert: DocumentCallback;
  readonly #queue: WriteQueue;
  readonly #validate: boolean;
  readonly #fill: FillConfig;
  readonly #failures: Error[] = [];
  #closed = false;

  constructor(storage: CatalogStorage, options: CatalogOptions = {}) {
    this.storage = storage;
    this.#validate = options.validate ?? true;
    this.#fill = options.fill ?? {};
    const writer = new DocumentWriter(storage, options.pageRows ?? 1000);
    this.#queue = new WriteQueue(writer, storage, {
      maxDelayMs: options.maxDelayMs ?? 50,
      maxBatch: options.maxBatch ?? 5000,
      highWaterRows: options.highWaterRows ?? 100_000,
    });
    this.insert = (name, doc) => {
      // The document in hand is always queued; failures of earlier ones are then reported once,
      // together, so one bad commit fails one call, not every call after it.
      this.#enqueue(name, doc).catch((err: Error) => this.#failures.push(err));
      this.#throwFailures();
      // Failures surface through the next call or flush(); this promise only paces the producer.
      return this.#queue.behind ? this.#queue.flush() : undefined;
    };
  }

  /** Stores one document; resolves once it is committed (acknowledged). */
  async write(name: DocumentName, doc: unknown): Promise<void> {
    await this.#enqueue(name, doc);
  }

  #enqueue(name: DocumentName, doc: unknown): Promise<void> {
    if (this.#closed)
      throw new BrokerError(`the catalog is closed; cannot store the ${name} document`);
    if (!isDocumentName(name)) {
      throw new BrokerError(
        `cannot store a document named ${JSON.stringify(name)}; expected a document name such as start or event`,
      );
    }
    if (this.#validate) validateDocument(name, doc);
    return this.#queue.push([name, doc] as NamedDocument);
  }

  /** Commits everything queued; rejects if a document given to `insert` was not stored. */
  async flush(): Promise<void> {
    await this.#queue.flush();
    this.#throwFailures();
  }

  #throwFailures(): void {
    if (this.#failures.length === 0) return;
    const failures = this.#failures.splice(0);
    if (failures.length === 1) throw failures[0];
    const reasons = [...new Set(failures.map((f) => f.message))];
    throw new BrokerError(
      `${failures.length} document(s) given to the catalog were not stored: ${reasons.join("; ")}`,
      { cause: failures[0] },
    );
  }

  /** Runs matching every query (none: all runs), sorted (default: insertion order), paged. */
  async search(
    queries: Query | readonly Query[] = [],
    options: SearchOptions = {},
  ): Promise<Run[]> {
    checkCount(options.offset, "offset");
    checkCount(options.limit, "limit");
    const list = Array.isArray(queries) ? queries : [queries as Query];
    const filters = await this.#checked(list);
    const stored = await this.storage.searchRuns({
      filters,
      sorts: toSorts((options.sort ?? []).map(parseSortKey)),
      offset: options.offset ?? 0,
      limit: options.limit ?? null,
    });
    return stored.map((s) => this.#run(s));
  }

  /** How many runs match. */
  async count(queries: Query | readonly Query[] = []): Promise<number> {
    const list = Array.isArray(queries) ? queries : [queries as Query];
    return this.storage.countRuns(await this.#checked(list));
  }

  /** The queries' filters; throws DuplicateScanIdError when duplicates "error" finds some. */
  async #checked(queries: readonly Query[]): Promise<Filter[]> {
    const filters = toFilters(queries);
    if (!filters.some((f) => f.op === "unique_scan_id")) return filters;
    const duplicated = await this.storage.searchRuns({
      filters: [...filters.filter((f) => !isSetFilter(f)), { op: "duplicated_scan_id" }],
      sorts: [{ key: keyPath("start.scan_id"), direction: 1 }],
      offset: 0,
      limit: 100,
    });
    const first = duplicated[0];
    if (first) {
      const id = first.start.scan_id;
      throw new DuplicateScanIdError(
        id,
        duplicated.filter((r) => r.start.scan_id === id).map((r) => r.uid),
      );
    }
    return filters;
  }

  /** The n most recently inserted runs, newest first. */
  async last(n = 1): Promise<Run[]> {
    return this.search([], { sort: ["-"], limit: n });
  }

  /**
   * One run, like databroker's `db[key]`: -1 the latest inserted (-k the k-th latest), a
   * non-negative integer a scan_id (the latest such run), a string a uid or a uid prefix of at
   * least 5 characters.
   */
  async get(key: number | string): Promise<Run> {
    if (typeof key === "number") {
      if (!Number.isSafeInteger(key))
        throw new InvalidQueryError(`run index ${key} must be an integer`);
      if (key < 0) {
        const [run] = await this.search([], { sort: ["-"], offset: -key - 1, limit: 1 });
        if (!run)
          throw new RunIndexError(
            `catalog.get(${key}): the catalog holds only ${await this.count()} runs`,
          );
        return run;
      }
      const [run] = await this.search(
        { type: "scan_id", scan_ids: [key], duplicates: "latest" },
        { limit: 1 },
      );
      if (!run) throw new RunNotFoundError(key, `no run has scan_id ${key}`);
      return run;
    }
    const [exact] = await this.storage.getRuns([key]);
    if (exact) return this.#run(exact);
    if (key.length < MIN_UID_PREFIX) {
      throw new AmbiguousUidError(
        `uid prefix ${JSON.stringify(key)} is too short; give at least ${MIN_UID_PREFIX} characters`,
      );
    }
    const found = await this.search({ type: "partial_uid", partial_uids: [key] }, { limit: 2 });
    if (found.length > 1) {
      throw new AmbiguousUidError(
        `uid prefix ${JSON.stringify(key)} matches more than one run (${found.map((r) => r.uid).join(", ")})`,
      );
    }
    if (!found[0])
      throw new RunNotFoundError(key, `no run has a uid starting with ${JSON.stringify(key)}`);
    return found[0];
  }

  /** The run with this exact uid, or undefined. */
  async getByUid(uid: string): Promise<Run | undefined> {
    const [stored] = await this.storage.getRuns([uid]);
    return stored ? this.#run(stored) : undefined;
  }

  #run(stored: StoredRun): Run {
    return new Run(this.storage, stored, this.#fill);
  }

  /** Commits what is queued and closes the storage. */
  async close(): Promise<void> {
    if (this.#closed) return;
    try {
      await this.#queue.flush();
    } finally {
      this.#closed = true;
      await this.storage.close();
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
