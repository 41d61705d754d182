import { resolve } from "node:path";
import type { RunStart } from "@cerulean/event-model";
import { SerializerStateError, SuitcaseError } from "../errors.ts";
import { DEFAULT_TEMPLATE, fillTemplate } from "./file-template.ts";

/**
 * A writer of one run: a document callback `(name, doc)` plus `close()`. Stop closes it; so do
 * close(), an exception in the caller's loop followed by close(), and the end of the process,
 * including by SIGTERM, SIGINT or SIGHUP when the application does not handle those itself.
 */
export interface Serializer {
  (name: string, doc: unknown): void;
  /** Closes every file (idempotent) and resolves to the files written, in creation order. */
  close(): Promise<string[]>;
  /** The files created so far, as absolute paths in creation order. */
  readonly files: readonly string[];
  /** True once stop, close() or process exit has closed the files. */
  readonly closed: boolean;
}

/** Where a serializer writes and how it names its files. */
export interface SerializerOptions {
  /** The directory for the files; created when missing. */
  directory: string;
  /**
   * The file-name stem, filled from the start document (default `{uid}`), e.g.
   * `{scan_id}-{sample}`; see fillTemplate. Each format adds its own suffix.
   */
  template?: string;
}

const openSerializers = new Set<RunSerializer>();
let exitHookInstalled = false;

/** Signals whose default action ends the process without the "exit" event. */
const FATAL_SIGNALS = ["SIGTERM", "SIGINT", "SIGHUP"] as const;

// Files are closed even when the process ends without close(): an uncaught exception or
// process.exit() still runs "exit" listeners, and every writer here closes synchronously.
function installExitHooks(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", closeAllOnExit);
  for (const signal of FATAL_SIGNALS) process.on(signal, onFatalSignal);
}

/**
 * A kill (SIGTERM, Ctrl-C, a closed terminal) ends Node without "exit": the files are closed
 * first, then the signal is raised again without this handler so the process dies of it as it
 * would have. A signal the application listens for itself is its business (the RunEngine pauses
 * on Ctrl-C): the files stay open, and "exit" closes them if the application then exits.
 */
function onFatalSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  closeAllOnExit();
  for (const s of FATAL_SIGNALS) process.off(s, onFatalSignal);
  exitHookInstalled = false;
  process.off("exit", closeAllOnExit);
  process.kill(process.pid, signal);
}

function closeAllOnExit(): void {
  for (const serializer of openSerializers) {
    try {
      serializer.closeNow();
    } catch {
      // Exiting anyway; the other writers must still get their turn.
    }
  }
}

/**
 * The run bookkeeping every format shares: one start first, nothing after close, stop closes,
 * the file stem from the template. Subclasses write the documents and close their files.
 */
export abstract class RunSerializer {
  readonly directory: string;
  readonly template: string;
  /** The start document, once it has arrived. */
  protected startDoc: RunStart | null = null;
  /** The stem every file name begins with, filled from the start document. */
  protected stem = "";
  private readonly created: string[] = [];
  private isClosed = false;

  constructor(options: SerializerOptions) {
    if (typeof options.directory !== "string" || options.directory === "") {
      throw new SuitcaseError(
        `a serializer needs a directory to write into; got ${JSON.stringify(options.directory)}`,
      );
    }
    this.directory = resolve(options.directory);
    this.template = options.template ?? DEFAULT_TEMPLATE;
    openSerializers.add(this);
    installExitHooks();
  }

  get files(): readonly string[] {
    return this.created;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** The serializer's name in error messages. */
  protected abstract get label(): string;

  /** Writes one document; `start` has been checked and recorded before this is called. */
  protected abstract write(name: string, doc: Record<string, unknown>): void;

  /** Closes every open file; must leave them complete and readable, and be safe to call once. */
  protected abstract finish(): void;

  /** Takes one document of the run. */
  receive(name: string, doc: unknown): void {
    if (this.isClosed) {
      throw new SerializerStateError(
        `${this.label} is closed; it cannot take a "${name}" document (one serializer writes one run)`,
      );
    }
    if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
      throw new SerializerStateError(
        `${this.label}: the "${name}" document must be an object, got ${Array.isArray(doc) ? "an array" : String(doc)}`,
      );
    }
    const record = doc as Record<string, unknown>;
    if (name === "start") this.acceptStart(record);
    else if (this.startDoc === null) {
      throw new SerializerStateError(
        `${this.label} expects a "start" document first; got "${name}"`,
      );
    }
    if (name === "start") {
      try {
        this.write(name, record);
      } catch (err) {
        // The run did not open (its file exists, say): the serializer still waits for a start.
        this.startDoc = null;
        throw err;
      }
      return;
    }
    if (name !== "stop") {
      this.write(name, record);
      return;
    }
    try {
      this.write(name, record);
    } finally {
      this.closeNow();
    }
  }

  /** Closes the files (idempotent) and returns the paths written. */
  closeNow(): string[] {
    if (!this.isClosed) {
      this.isClosed = true;
      openSerializers.delete(this);
      this.finish();
    }
    return [...this.created];
  }

  /** Creates a file with `open` and records it (only once it exists) for `files` and close(). */
  protected createFile<T>(path: string, open: (path: string) => T): T {
    const made = open(path);
    this.created.push(path);
    return made;
  }

  private acceptStart(doc: Record<string, unknown>): void {
    if (this.startDoc !== null) {
      throw new SerializerStateError(
        `${this.label} expects documents from one run only; got a second start (uid ${String(doc["uid"])}) during run ${this.startDoc.uid}`,
      );
    }
    if (typeof doc["uid"] !== "string") {
      throw new SerializerStateError(
        `${this.label}: the start document has no string "uid" (got ${JSON.stringify(doc["uid"])})`,
      );
    }
    this.stem = fillTemplate(this.template, doc);
    this.startDoc = doc as RunStart;
  }
}

/** Wraps a RunSerializer as the callable Serializer interface. */
export function callable(serializer: RunSerializer): Serializer {
  const call = (name: string, doc: unknown): void => serializer.receive(name, doc);
  return Object.defineProperties(call, {
    close: { value: async () => serializer.closeNow() },
    files: { get: () => serializer.files },
    closed: { get: () => serializer.closed },
  }) as Serializer;
}
