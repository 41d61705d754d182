// The editable queue and the history: in memory for fast reads, written through to storage
// on every change. The running item is tracked here so a uid is never queued and running.
import { randomUUID } from "node:crypto";
import { RequestFailedError } from "../errors.ts";
import { ITEM_KEYS, type QueueItem } from "../types.ts";
import { destinationIndex, elementIndex, insertIndex, type Position } from "./positions.ts";
import type { QueueStorage } from "./storage.ts";

/** Where to place an added item: at most one of the three. */
export interface Placement {
  pos?: Position;
  before_uid?: string;
  after_uid?: string;
}

/** Keeps only the stored keys of an item (drops `result` and anything unknown). */
export function cleanItem(item: QueueItem): QueueItem {
  const out: Record<string, unknown> = {};
  const src = item as unknown as Record<string, unknown>;
  for (const key of ITEM_KEYS) if (src[key] !== undefined) out[key] = src[key];
  return out as unknown as QueueItem;
}

/** A copy of `item` with a fresh uid (re-queued and looped items). */
export function withNewUid(item: QueueItem): QueueItem {
  const copy = cleanItem(item);
  copy.item_uid = randomUUID();
  if (copy.properties) {
    const { time_start: _t, immediate_execution: _i, ...rest } = copy.properties;
    if (Object.keys(rest).length) copy.properties = rest;
    else delete copy.properties;
  }
  return copy;
}

/** The plan queue, its running item and its history. */
export class PlanQueue {
  #queue: QueueItem[];
  #history: QueueItem[];
  #running: QueueItem | null;
  #queueUid = randomUUID();
  #historyUid = randomUUID();
  readonly #storage: QueueStorage;

  constructor(storage: QueueStorage) {
    this.#storage = storage;
    // Entries without a uid cannot be addressed; upstream drops them at startup too.
    this.#queue = storage.loadQueue().filter((item) => typeof item.item_uid === "string");
    this.#history = storage.loadHistory();
    this.#running = storage.loadRunning();
  }

  get items(): readonly QueueItem[] {
    return this.#queue;
  }
  get history(): readonly QueueItem[] {
    return this.#history;
  }
  get running(): QueueItem | null {
    return this.#running;
  }
  get size(): number {
    return this.#queue.length;
  }
  get planQueueUid(): string {
    return this.#queueUid;
  }
  get planHistoryUid(): string {
    return this.#historyUid;
  }

  /** Inserts items at a placement; all or nothing. Returns the inserted items. */
  add(items: readonly QueueItem[], placement: Placement): QueueItem[] {
    const given = ["pos", "before_uid", "after_uid"].filter(
      (k) => placement[k as keyof Placement] !== undefined,
    );
    if (given.length > 1) {
      throw new RequestFailedError(
        `Ambiguous parameters: only one of 'pos', 'before_uid' and 'after_uid' may be given (got ${given.join(", ")})`,
      );
    }
    let index: number;
    if (placement.before_uid !== undefined) {
      if (this.#running?.item_uid === placement.before_uid) {
        throw new RequestFailedError(
          "Can not insert a plan in the queue before a currently running plan",
        );
      }
      index = this.#indexOf(placement.before_uid);
    } else if (placement.after_uid !== undefined) {
      index =
        this.#running?.item_uid === placement.after_uid
          ? 0
          : this.#indexOf(placement.after_uid) + 1;
    } else {
      index = insertIndex(placement.pos, this.#queue.length);
    }
    if (items.length === 0) return [];
    const back = index === this.#queue.length;
    this.#queue.splice(index, 0, ...items);
    if (back && items.length === 1 && items[0]) this.#storage.pushQueue(items[0]);
    else this.#storage.saveQueue(this.#queue);
    this.#queueUid = randomUUID();
    return [...items];
  }

  /** Replaces an item in place (same position). */
  replace(uid: string, item: QueueItem): QueueItem {
    if (this.#running?.item_uid === uid) {
      throw new RequestFailedError(
        `Failed to replace item: item with UID '${uid}' is currently running`,
      );
    }
    const index = this.#queue.findIndex((i) => i.item_uid === uid);
    if (index < 0) {
      throw new RequestFailedError(
        `Failed to replace item: item with UID '${uid}' is not in the queue`,
      );
    }
    if (JSON.stringify(this.#queue[index]) === JSON.stringify(item)) return item;
    this.#queue[index] = item;
    this.#commitQueue();
    return item;
  }

  /** The item at `pos` or with `uid`. */
  get(sel: { pos?: Position; uid?: string }): QueueItem {
    return this.#queue[this.#select(sel, "get")] as QueueItem;
  }

  remove(sel: { pos?: Position; uid?: string }): QueueItem {
    const index = this.#select(sel, "remove");
    const [item] = this.#queue.splice(index, 1);
    this.#commitQueue();
    return item as QueueItem;
  }

  removeBatch(uids: readonly string[], ignoreMissing: boolean): QueueItem[] {
    const missing = uids.filter((u) => !this.#queue.some((i) => i.item_uid === u));
    if (missing.length && !ignoreMissing) {
      throw new RequestFailedError(
        `The queue does not contain items with the following UIDs: ${JSON.stringify(missing)}`,
      );
    }
    const wanted = new Set(uids);
    const removed = this.#queue.filter((i) => wanted.has(i.item_uid));
    if (removed.length === 0) return [];
    this.#queue = this.#queue.filter((i) => !wanted.has(i.item_uid));
    this.#commitQueue();
    return removed;
  }

  move(
    sel: { pos?: Position; uid?: string },
    dest: { pos_dest?: Position; before_uid?: string; after_uid?: string },
  ): QueueItem {
    const given = ["pos_dest", "before_uid", "after_uid"].filter(
      (k) => dest[k as keyof typeof dest] !== undefined,
    );
    if (given.length !== 1) {
      throw new RequestFailedError(
        given.length === 0
          ? "Destination for the item is not specified: give 'pos_dest', 'before_uid' or 'after_uid'"
          : `Ambiguous parameters: only one of 'pos_dest', 'before_uid' and 'after_uid' may be given (got ${given.join(", ")})`,
      );
    }
    const from = this.#select(sel, "move");
    const item = this.#queue[from] as QueueItem;
    const ref = dest.before_uid ?? dest.after_uid;
    if (ref !== undefined) this.#indexOf(ref);
    if (ref === item.item_uid) return item;
    let to: number;
    const rest = this.#queue.filter((_, i) => i !== from);
    if (dest.pos_dest !== undefined) {
      to = destinationIndex(dest.pos_dest, this.#queue.length);
    } else {
      const at = rest.findIndex((i) => i.item_uid === ref);
      to = dest.before_uid !== undefined ? at : at + 1;
    }
    if (to === from) return item;
    rest.splice(to, 0, item);
    this.#queue = rest;
    this.#commitQueue();
    return item;
  }

  moveBatch(
    uids: readonly string[],
    dest: { pos_dest?: Position; before_uid?: string; after_uid?: string },
    reorder: boolean,
  ): QueueItem[] {
    if (new Set(uids).size !== uids.length) {
      throw new RequestFailedError(
        `The list of UIDs contains repeated items: ${JSON.stringify(uids)}`,
      );
    }
    const missing = uids.filter((u) => !this.#queue.some((i) => i.item_uid === u));
    if (missing.length) {
      throw new RequestFailedError(
        `The queue does not contain items with the following UIDs: ${JSON.stringify(missing)}`,
      );
    }
    const given = ["pos_dest", "before_uid", "after_uid"].filter(
      (k) => dest[k as keyof typeof dest] !== undefined,
    );
    if (given.length !== 1) {
      throw new RequestFailedError(
        "Ambiguous or missing destination: give exactly one of 'pos_dest', 'before_uid', 'after_uid'",
      );
    }
    const ref = dest.before_uid ?? dest.after_uid;
    if (ref !== undefined && uids.includes(ref)) {
      throw new RequestFailedError(`The reference item '${ref}' is among the items being moved`);
    }
    if (ref !== undefined) this.#indexOf(ref);
    if (dest.pos_dest !== undefined && dest.pos_dest !== "front" && dest.pos_dest !== "back") {
      throw new RequestFailedError(
        `Unsupported 'pos_dest' for a batch move: ${JSON.stringify(dest.pos_dest)}; expected 'front' or 'back'`,
      );
    }
    const wanted = new Set(uids);
    const moving = reorder
      ? this.#queue.filter((i) => wanted.has(i.item_uid))
      : uids.map((u) => this.#queue.find((i) => i.item_uid === u) as QueueItem);
    const rest = this.#queue.filter((i) => !wanted.has(i.item_uid));
    let to: number;
    if (dest.pos_dest === "front") to = 0;
    else if (dest.pos_dest === "back") to = rest.length;
    else {
      const at = rest.findIndex((i) => i.item_uid === ref);
      to = dest.before_uid !== undefined ? at : at + 1;
    }
    rest.splice(to, 0, ...moving);
    this.#queue = rest;
    this.#commitQueue();
    return moving;
  }

  clear(): void {
    this.#queue = [];
    this.#commitQueue();
  }

  /** Takes the front item and marks it running. */
  startFront(): QueueItem | undefined {
    const item = this.#queue.shift();
    if (item === undefined) return undefined;
    this.#commitQueue();
    return item;
  }

  setRunning(item: QueueItem | null): void {
    this.#running = item;
    this.#storage.saveRunning(item);
    this.#queueUid = randomUUID();
  }

  pushFront(item: QueueItem): void {
    this.#queue.unshift(item);
    this.#commitQueue();
  }

  pushBack(item: QueueItem): void {
    this.#queue.push(item);
    this.#storage.pushQueue(item);
    this.#queueUid = randomUUID();
  }

  addToHistory(item: QueueItem): void {
    this.#history.push(item);
    this.#storage.appendHistory(item);
    this.#historyUid = randomUUID();
  }

  /** Keeps the newest `size` items, or drops everything up to and including `uid`. */
  clearHistory(options: { size?: number; uid?: string }): void {
    let keep = 0;
    if (options.uid !== undefined) {
      const index = this.#history.findIndex((i) => i.item_uid === options.uid);
      if (index < 0) return;
      keep = this.#history.length - index - 1;
    } else if (options.size !== undefined && options.size > 0) {
      keep = Math.min(options.size, this.#history.length);
    }
    this.#history = keep === 0 ? [] : this.#history.slice(-keep);
    this.#storage.saveHistory(this.#history);
    this.#historyUid = randomUUID();
  }

  #indexOf(uid: string): number {
    const index = this.#queue.findIndex((i) => i.item_uid === uid);
    if (index < 0) throw new RequestFailedError(`Plan with UID '${uid}' is not in the queue`);
    return index;
  }

  #select(sel: { pos?: Position; uid?: string }, verb: string): number {
    if (sel.pos !== undefined && sel.uid !== undefined) {
      throw new RequestFailedError("Ambiguous parameters: both position and uid are specified");
    }
    if (sel.uid !== undefined) {
      if (this.#running?.item_uid === sel.uid) {
        throw new RequestFailedError(
          `Can not ${verb} an item which is currently running (UID '${sel.uid}')`,
        );
      }
      return this.#indexOf(sel.uid);
    }
    return elementIndex(sel.pos, this.#queue.length);
  }

  #commitQueue(): void {
    this.#storage.saveQueue(this.#queue);
    this.#queueUid = randomUUID();
  }
}
