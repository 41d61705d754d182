// The persistence seam of the manager: SQLite embedded by default, Redis to share the state.
import type { QueueItem } from "../types.ts";

/**
 * Where the queue, history, running item and small state records live. Every method commits
 * before it returns, so an acknowledged change survives a crash of the server.
 */
export interface QueueStorage {
  /** The queue, front first. */
  loadQueue(): QueueItem[];
  /** Replaces the whole queue (one transaction). */
  saveQueue(items: readonly QueueItem[]): void;
  /** Appends one item at the back (the common, cheap case). */
  pushQueue(item: QueueItem): void;
  /** The history, oldest first. */
  loadHistory(): QueueItem[];
  appendHistory(item: QueueItem): void;
  saveHistory(items: readonly QueueItem[]): void;
  /** The running item, or null. */
  loadRunning(): QueueItem | null;
  saveRunning(item: QueueItem | null): void;
  /** A small JSON record (mode, lock, autostart, stop pending, permissions, lists). */
  getRecord<T>(key: string): T | undefined;
  setRecord(key: string, value: unknown): void;
  /**
   * For stores that commit asynchronously: resolves once every change so far is durable, and
   * rejects if one was lost. The HTTP layer awaits it before each reply.
   */
  flush?(): Promise<void>;
  close(): void;
}
