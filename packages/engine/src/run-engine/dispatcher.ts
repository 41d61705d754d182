// Routes documents to subscribers by name; 'all' receives every document.
import {
  DOCUMENT_NAMES,
  type Document,
  type DocumentCallback,
  type DocumentName,
  isDocumentName,
  type NamedDocument,
} from "@cerulean/event-model";
import { PlanArgumentError } from "../errors.ts";

/** What a subscription listens to: one document name, or 'all'. */
export type SubscriptionName = DocumentName | "all";

/** Told about a callback that threw while the engine was set to ignore callback exceptions. */
export type CallbackErrorReporter = (err: unknown, name: DocumentName, doc: Document) => void;

interface Entry {
  token: number;
  callback: DocumentCallback;
}

/**
 * Bluesky's Dispatcher: callbacks are called synchronously, in subscription order. Every
 * subscriber gets each document even when an earlier one throws; the first error is then
 * rethrown (into the plan) unless `ignoreExceptions` is set, in which case it is reported.
 *
 * Flow control: a callback that falls behind (a catalog committing slower than a fly scan
 * produces) may return a promise; the engine waits for it before the next message, so a slow
 * consumer slows the plan instead of holding an ever-growing backlog in memory.
 */
export class Dispatcher {
  #next = 0;
  readonly #entries = new Map<number, { name: SubscriptionName; callback: DocumentCallback }>();
  /** Per document name, the callbacks to call, in token order (rebuilt on change, read often). */
  #lists = new Map<DocumentName, Entry[]>();
  /** Bluesky's `ignore_callback_exceptions`: report instead of failing the plan. */
  ignoreExceptions = false;
  /** Promises returned by callbacks asking the engine to wait (see the class comment). */
  #backlog: { wait: Promise<unknown>; name: DocumentName; doc: Document }[] = [];
  reportError: CallbackErrorReporter = (err, name) => {
    console.error(`a subscriber failed on a "${name}" document:`, err);
  };

  /** Subscribes `callback(name, doc)` to documents named `name` ('all' by default); returns a token. */
  subscribe(callback: DocumentCallback, name: SubscriptionName = "all"): number {
    if (typeof callback !== "function") {
      throw new PlanArgumentError(
        `subscribe needs a function (name, doc) => void; got ${typeof callback}`,
      );
    }
    if (name !== "all" && !isDocumentName(name)) {
      throw new PlanArgumentError(
        `cannot subscribe to "${String(name)}"; expected "all" or one of ${DOCUMENT_NAMES.join(", ")}`,
      );
    }
    const token = this.#next++;
    this.#entries.set(token, { name, callback });
    this.#rebuild();
    return token;
  }

  /** Removes a subscription; unknown tokens are ignored (as Bluesky does). */
  unsubscribe(token: number): void {
    if (this.#entries.delete(token)) this.#rebuild();
  }

  /** Removes every subscription. */
  unsubscribeAll(): void {
    this.#entries.clear();
    this.#rebuild();
  }

  /** The tokens currently subscribed. */
  get tokens(): number[] {
    return [...this.#entries.keys()];
  }

  /** Sends a document to its subscribers; throws the first callback error unless ignoring them. */
  process(name: DocumentName, doc: Document): void {
    const list = this.#lists.get(name);
    if (list === undefined) return;
    let failure: unknown;
    let failed = false;
    for (let i = 0; i < list.length; i++) {
      try {
        const wait: unknown = (list[i] as Entry).callback(...([name, doc] as NamedDocument));
        if (wait instanceof Promise) this.#backlog.push({ wait, name, doc });
      } catch (err) {
        if (this.ignoreExceptions) {
          this.reportError(err, name, doc);
        } else if (!failed) {
          failed = true;
          failure = err;
        }
      }
    }
    if (failed) throw failure;
  }

  /** True when a callback asked the engine to wait for it. */
  get behind(): boolean {
    return this.#backlog.length > 0;
  }

  /**
   * Waits for the callbacks that asked for it; a rejection counts as an error of that callback
   * (rethrown, or reported when ignoring callback exceptions).
   */
  async catchUp(): Promise<void> {
    while (this.#backlog.length > 0) {
      // Entries leave the backlog once settled: a wait cut short (a pause) is resumed later.
      const backlog = [...this.#backlog];
      const outcomes = await Promise.allSettled(backlog.map((b) => b.wait));
      const settled = new Set(backlog);
      this.#backlog = this.#backlog.filter((b) => !settled.has(b));
      for (let i = 0; i < outcomes.length; i++) {
        const outcome = outcomes[i] as PromiseSettledResult<unknown>;
        if (outcome.status === "fulfilled") continue;
        if (!this.ignoreExceptions) throw outcome.reason;
        const { name, doc } = backlog[i] as (typeof backlog)[number];
        this.reportError(outcome.reason, name, doc);
      }
    }
  }

  #rebuild(): void {
    const lists = new Map<DocumentName, Entry[]>();
    for (const [token, { name, callback }] of this.#entries) {
      for (const docName of name === "all" ? DOCUMENT_NAMES : [name]) {
        let list = lists.get(docName);
        if (!list) {
          list = [];
          lists.set(docName, list);
        }
        list.push({ token, callback });
      }
    }
    this.#lists = lists;
  }
}
