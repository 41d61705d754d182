// `monitor`: a stream fed by a device's subscription, one event per update, outside create/save.
import type { Readings, ReadingsCallback, Subscribable } from "@cerulean/devices/protocols";
import { IllegalMessageSequence, ProtocolError } from "../errors.ts";
import { objectName } from "../msg.ts";
import { explainKeyError } from "./data-keys-check.ts";
import type { RunBundler } from "./run-bundler.ts";
import { splitReadings } from "./stream-cache.ts";

/** True for objects with `subscribe` and `clearSub`. */
export function isSubscribable(obj: unknown): obj is Subscribable {
  return (
    typeof obj === "object" &&
    obj !== null &&
    typeof (obj as Subscribable).subscribe === "function" &&
    typeof (obj as Subscribable).clearSub === "function"
  );
}

interface Monitor {
  callback: ReadingsCallback;
  active: boolean;
}

/** The monitors of one run; suspended while paused and removed when the run closes. */
export class Monitors {
  readonly #byObj = new Map<Subscribable, Monitor>();
  /** The streams monitors fed: never re-taken on replay, so a rewind leaves their seq_nums. */
  readonly streams = new Set<string>();
  #closed = false;

  constructor(private readonly run: RunBundler) {}

  /** Emits a descriptor for stream `name` and an event for every update of `obj`. */
  async start(obj: unknown, name: string): Promise<void> {
    if (!isSubscribable(obj)) {
      throw new ProtocolError(
        `"monitor" needs a Subscribable object (with subscribe() and clearSub()); got ${objectName(obj)}`,
      );
    }
    if (this.#byObj.has(obj)) {
      throw new IllegalMessageSequence(`"monitor" of "${obj.name}", which is already monitored`);
    }
    const cache = this.run.streamCache(name);
    await cache.ensure(obj);
    // The call may have ended while describing: subscribing now would never be undone.
    if (this.#closed || !this.run.isOpen) {
      throw new IllegalMessageSequence(
        `"monitor" of "${obj.name}": the run ended while the device was being described`,
      );
    }
    if (this.#byObj.has(obj)) {
      throw new IllegalMessageSequence(`"monitor" of "${obj.name}", which is already monitored`);
    }
    this.streams.add(name);
    const stream = this.run.prepareStream(name, new Map([[obj, cache.describe.get(obj) ?? {}]]));
    const callback: ReadingsCallback = (readings: Readings) => {
      if (!this.run.isOpen || !monitor.active) return;
      try {
        const { data, timestamps } = splitReadings(readings);
        const event = stream.bundle.composeEvent({
          data,
          timestamps,
          validate: this.run.options.validate,
        });
        this.run.emit("event", event);
      } catch (err) {
        const keys = {
          device: objectName(obj),
          described: Object.keys(stream.objs.get(obj) ?? {}),
          got: Object.keys(readings),
        };
        this.run.options.reportAsyncError(
          explainKeyError(err, name, [keys], "a monitor update", stream.streamKeys),
        );
      }
    };
    const monitor: Monitor = { callback, active: true };
    this.#byObj.set(obj, monitor);
    obj.subscribe(callback);
  }

  /** Stops monitoring `obj`. */
  stop(obj: unknown): void {
    const monitor = isSubscribable(obj) ? this.#byObj.get(obj) : undefined;
    if (!monitor || !isSubscribable(obj)) {
      throw new IllegalMessageSequence(`"unmonitor" of ${objectName(obj)}, which is not monitored`);
    }
    monitor.active = false;
    obj.clearSub(monitor.callback);
    this.#byObj.delete(obj);
  }

  /** Unsubscribes every monitor but remembers them (pause). */
  suspend(): void {
    for (const [obj, monitor] of this.#byObj) {
      if (!monitor.active) continue;
      monitor.active = false;
      obj.clearSub(monitor.callback);
    }
  }

  /** Subscribes the suspended monitors again (resume); each emits the current value at once. */
  restore(): void {
    for (const [obj, monitor] of this.#byObj) {
      if (monitor.active) continue;
      monitor.active = true;
      obj.subscribe(monitor.callback);
    }
  }

  /** Removes every monitor (run closing); failures are reported, not thrown. */
  clear(): void {
    this.#closed = true;
    for (const [obj, monitor] of this.#byObj) {
      monitor.active = false;
      try {
        obj.clearSub(monitor.callback);
      } catch (err) {
        this.run.options.reportAsyncError(err);
      }
    }
    this.#byObj.clear();
  }
}
