import type { DataKey, PartialEvent, PartialEventPage } from "@cerulean/event-model";
import type { HasName } from "./has-name.ts";
import type { DataKeys } from "./reading.ts";

/** A sync or async iterable: consume with `for await`. */
export type AnyIterable<T> = AsyncIterable<T> | Iterable<T>;

/**
 * Can describe what it will collect: either flat DataKeys of one stream (the stream name then
 * comes from `declare_stream`), or `{streamName: DataKeys}`; tell them apart by the values
 * having a `dtype`.
 */
export interface Collectable extends HasName {
  describeCollect(): Promise<DataKeys | Record<string, Record<string, DataKey>>>;
}

/** Collects its buffered data as partial events (the engine assigns uid, seq_num, descriptor). */
export interface EventCollectable extends Collectable {
  collect(): AnyIterable<PartialEvent>;
}

/** Collects its buffered data as partial event pages; preferred when a device has both. */
export interface EventPageCollectable extends Collectable {
  collectPages(): AnyIterable<PartialEventPage>;
}
