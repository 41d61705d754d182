// A channel: one PV name, searched for, connected over a shared circuit, reconnected after
// its server restarts, with get, put and monitors.
import { CaAccessError, CaClosedError, CaMessageTooLargeError, CaTimeoutError } from "../errors.ts";
import { AccessRight, EventMask } from "../protocol/commands.ts";
import type { CaPutValue } from "../protocol/convert.ts";
import { decodeDbr } from "../protocol/dbr.ts";
import {
  type DbrFamily,
  DbrNative,
  type DbrNativeName,
  type DbrNativeType,
  dbrCode,
  dbrName,
  dbrSize,
  nativeName,
} from "../protocol/dbr-types.ts";
import { type CaValue, toCaValue } from "./ca-value.ts";
import type { ChannelEvents, Circuit } from "./circuit.ts";
import { encodePut } from "./put-value.ts";
import { guarded, withTimeout } from "./settle.ts";
import { CaMonitor, CaSubscription, type MonitorOptions } from "./subscription.ts";

export type ChannelState = "searching" | "connecting" | "connected" | "closed";

export interface GetOptions {
  /** DBR family; default "time" (value, alarm, timestamp). "ctrl" adds units, limits, labels. */
  family?: DbrFamily;
  /** Ask for another native type than the PV's ("string" for enum labels...). */
  type?: DbrNativeName;
  /** Elements; default all (the current length). */
  count?: number;
  /** An enum PV answers with its label (DBR_STRING) instead of its index. */
  enumLabels?: boolean;
  /** Seconds, including the wait for a connection; default the context's. */
  timeout?: number;
}

export interface PutOptions {
  /** Wait for completion (a put callback): the server's processing, e.g. a motor move. */
  wait?: boolean;
  /** Seconds; default the context's, or no limit for a put that waits for completion. */
  timeout?: number;
}

/** @internal What a channel needs from its context. */
export interface ChannelHost {
  readonly maxArrayBytes: number;
  readonly defaultTimeout: number;
  search(channel: CaChannel): void;
  unsearch(cid: number): void;
  /** Why nothing is found, when the context knows (empty address list...). */
  searchProblem(): string | undefined;
  nextSubscriptionId(): number;
  forget(channel: CaChannel): void;
}

/** A connection to one PV. Made by `CaContext.channel` / `createChannel`. */
export class CaChannel {
  readonly name: string;
  readonly cid: number;
  readonly #host: ChannelHost;
  readonly #subscriptions = new Set<CaSubscription>();
  readonly #listeners = new Set<(connected: boolean) => void>();
  readonly #errorListeners = new Set<(error: Error) => void>();
  #waiters: Array<() => void> = [];
  #state: ChannelState = "searching";
  #circuit: Circuit | undefined;
  #sid: number | undefined;
  #native: DbrNativeType = DbrNative.double;
  #count = 0;
  #rights = 0;
  #minorVersion = 0;
  #failures = 0;
  #retry: NodeJS.Timeout | undefined;

  /** @internal */
  constructor(host: ChannelHost, name: string, cid: number) {
    this.#host = host;
    this.name = name;
    this.cid = cid;
  }

  get state(): ChannelState {
    return this.#state;
  }
  get connected(): boolean {
    return this.#state === "connected";
  }
  /** The PV's native type (valid once connected). */
  get nativeType(): DbrNativeName {
    return nativeName(this.#native);
  }
  /** The PV's element count (valid once connected). */
  get elementCount(): number {
    return this.#count;
  }
  get access(): { read: boolean; write: boolean } {
    return {
      read: (this.#rights & AccessRight.read) !== 0,
      write: (this.#rights & AccessRight.write) !== 0,
    };
  }
  /** "ip:port" of the server, while connected. */
  get server(): string | undefined {
    return this.#circuit?.key;
  }

  /** Calls `listener(true/false)` on each connect and disconnect; returns an unsubscribe. */
  onConnectionChange(listener: (connected: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Hears failures of puts without completion (which have nobody else to tell). */
  onError(listener: (error: Error) => void): () => void {
    this.#errorListeners.add(listener);
    return () => this.#errorListeners.delete(listener);
  }

  /** @internal The search found the PV on `circuit`. */
  found(circuit: Circuit): void {
    if (this.#state !== "searching") return;
    this.#state = "connecting";
    this.#circuit = circuit;
    circuit.connect().then(
      () => {
        if (this.#circuit === circuit && this.#state === "connecting") {
          circuit.attach(this.cid, this.name, this.#events(circuit));
        }
      },
      () => {
        if (this.#circuit === circuit) this.#lost(true);
      },
    );
  }

  #events(circuit: Circuit): ChannelEvents {
    return {
      onCreated: (sid, dataType, count, minorVersion) => {
        if (this.#circuit !== circuit || this.#state !== "connecting") return;
        this.#sid = sid;
        this.#native = (dataType % 7) as DbrNativeType;
        this.#count = count;
        this.#minorVersion = minorVersion;
        this.#state = "connected";
        this.#failures = 0;
        for (const sub of this.#subscriptions) this.#startSubscription(sub);
        for (const wake of this.#waiters.splice(0)) wake();
        this.#notify(true);
      },
      onAccessRights: (rights) => {
        if (this.#circuit === circuit) this.#rights = rights;
      },
      onCreateFailed: () => {
        if (this.#circuit === circuit) this.#lost(true);
      },
      onDisconnected: () => {
        if (this.#circuit === circuit) this.#lost(false);
      },
      onWriteFailed: (error) => {
        for (const listener of this.#errorListeners) guarded(this.name, () => listener(error));
      },
    };
  }

  #notify(connected: boolean): void {
    for (const listener of this.#listeners) guarded(this.name, () => listener(connected));
  }

  /** Back to searching; after repeated failures, wait a little before searching again. */
  #lost(failed: boolean): void {
    const wasConnected = this.#state === "connected";
    const circuit = this.#circuit;
    const sid = this.#sid;
    this.#circuit = undefined;
    this.#sid = undefined;
    this.#rights = 0;
    if (this.#state === "closed") return;
    this.#state = "searching";
    for (const sub of this.#subscriptions) circuit?.unsubscribe(sub.id);
    if (circuit && !circuit.closed) circuit.detach(this.cid, sid);
    if (wasConnected) this.#notify(false);
    this.#failures = failed ? this.#failures + 1 : 0;
    const delay = failed ? Math.min(10_000, 50 * 2 ** this.#failures) : 0;
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      if (this.#state === "searching") this.#host.search(this);
    }, delay);
    this.#retry.unref();
  }

  /** Resolves once connected; rejects with CaTimeoutError naming the PV after `timeout` s. */
  async waitConnected(timeout = this.#host.defaultTimeout, operation = "connect"): Promise<void> {
    if (this.#state === "connected") return;
    if (this.#state === "closed") throw new CaClosedError(this.name, operation);
    await new Promise<void>((resolve, reject) => {
      const wake = () => {
        clearTimeout(timer);
        if (this.#state === "closed") reject(new CaClosedError(this.name, operation));
        else resolve();
      };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== wake);
        const problem = this.#host.searchProblem();
        const detail =
          this.#state === "connecting"
            ? `found on ${this.#circuit?.key ?? "a server"} but the channel was not created`
            : (problem ?? "no server answered the search");
        reject(new CaTimeoutError(this.name, operation, timeout, detail));
      }, timeout * 1000);
      this.#waiters.push(wake);
    });
  }

  async #ready(operation: string, timeout: number): Promise<{ circuit: Circuit; sid: number }> {
    await this.waitConnected(timeout, operation);
    const circuit = this.#circuit;
    const sid = this.#sid;
    if (!circuit || sid === undefined) throw new CaClosedError(this.name, operation);
    return { circuit, sid };
  }

  #checkSize(operation: string, dataType: number, count: number): void {
    const bytes = dbrSize(dataType, count);
    if (bytes > this.#host.maxArrayBytes) {
      throw new CaMessageTooLargeError(
        `${operation} of PV "${this.name}" (${count} elements of ${dbrName(dataType)})`,
        bytes,
        this.#host.maxArrayBytes,
      );
    }
  }

  #requestType(family: DbrFamily, options: { type?: DbrNativeName; enumLabels?: boolean }): number {
    if (options.type !== undefined) return dbrCode(DbrNative[options.type], family);
    const labels = options.enumLabels === true && this.#native === DbrNative.enum;
    return dbrCode(labels ? DbrNative.string : this.#native, family);
  }

  /** Reads the PV. Rejects with CaTimeoutError, CaAccessError or CaStatusError naming it. */
  async get(options: GetOptions = {}): Promise<CaValue> {
    const timeout = options.timeout ?? this.#host.defaultTimeout;
    const started = Date.now();
    const { circuit, sid } = await this.#ready("get", timeout);
    if (!this.access.read) throw new CaAccessError(this.name, "read");
    const dataType = this.#requestType(options.family ?? "time", options);
    const count = options.count ?? (this.#minorVersion >= 13 ? 0 : this.#count);
    this.#checkSize("get", dataType, Math.min(count || this.#count, this.#count));
    const request = circuit.request(
      (ioid) => ({ type: "readNotify", dataType, count, sid, ioid }),
      { pv: this.name, operation: "get" },
    );
    const remaining = Math.max(0, timeout * 1000 - (Date.now() - started));
    const reply = await withTimeout(request.reply, remaining, () => {
      circuit.forget(request.ioid);
      return new CaTimeoutError(this.name, "get", timeout, `no reply from ${circuit.key}`);
    });
    return toCaValue(decodeDbr(reply.dataType, reply.count, reply.data), this.#count === 1);
  }

  /**
   * Writes the PV. Strings go as DBR_STRING (the server converts, e.g. enum labels); numbers
   * are converted to the native type here and rejected with CaValueError when they do not fit.
   */
  async put(value: CaPutValue, options: PutOptions = {}): Promise<void> {
    const wait = options.wait ?? false;
    const timeout =
      options.timeout ?? (wait ? Number.POSITIVE_INFINITY : this.#host.defaultTimeout);
    const connectTimeout = Number.isFinite(timeout) ? timeout : this.#host.defaultTimeout;
    const started = Date.now();
    const { circuit, sid } = await this.#ready("put", connectTimeout);
    if (!this.access.write) throw new CaAccessError(this.name, "write");
    const { dataType, count, data } = encodePut(value, {
      pv: this.name,
      native: this.#native,
      maxCount: this.#count,
      maxArrayBytes: this.#host.maxArrayBytes,
    });
    if (!wait) {
      circuit.send({ type: "write", dataType, count, sid, ioid: 0, data });
      return;
    }
    const request = circuit.request(
      (ioid) => ({ type: "writeNotify", dataType, count, sid, ioid, data }),
      { pv: this.name, operation: "put" },
    );
    const remaining = timeout * 1000 - (Date.now() - started);
    await withTimeout(request.reply, Math.max(0, remaining), () => {
      circuit.forget(request.ioid);
      return new CaTimeoutError(this.name, "put with completion", timeout);
    });
  }

  /** Calls `callback` with each update, across reconnections, until `close()`. */
  subscribe(
    callback: (value: CaValue) => void,
    options: MonitorOptions = {},
    onError: (error: Error) => void = () => {},
  ): CaSubscription {
    if (this.#state === "closed") throw new CaClosedError(this.name, "monitor");
    const sub = new CaSubscription({
      id: this.#host.nextSubscriptionId(),
      options,
      onValue: callback,
      onError,
      onClose: (s) => this.#stopSubscription(s),
    });
    this.#subscriptions.add(sub);
    if (this.#state === "connected") this.#startSubscription(sub);
    return sub;
  }

  /** The updates as an async iterable; leaving the `for await` loop cancels the monitor. */
  monitor(options: MonitorOptions & { bufferSize?: number } = {}): CaMonitor {
    const monitor = new CaMonitor(options.bufferSize ?? 1000);
    monitor.attach(
      this.subscribe(
        (value) => monitor.push(value),
        options,
        (error) => monitor.fail(error),
      ),
    );
    return monitor;
  }

  #startSubscription(sub: CaSubscription): void {
    const circuit = this.#circuit;
    const sid = this.#sid;
    if (!circuit || sid === undefined) return;
    const { options } = sub;
    const dataType = this.#requestType(options.family ?? "time", options);
    const count = options.count ?? (this.#minorVersion >= 13 ? 0 : this.#count);
    try {
      this.#checkSize("monitor", dataType, Math.min(count || this.#count, this.#count));
    } catch (error) {
      sub.fail(error as Error);
      return;
    }
    const scalar = this.#count === 1;
    circuit.subscribe(sub.id, this.name, {
      onUpdate: (type, n, data) => {
        let value: CaValue;
        try {
          value = toCaValue(decodeDbr(type, n, data), scalar);
        } catch (error) {
          sub.fail(error as Error);
          return;
        }
        guarded(this.name, () => sub.deliver(value));
      },
      onError: (error) => sub.fail(error),
    });
    circuit.send({
      type: "eventAdd",
      dataType,
      count,
      sid,
      subscriptionId: sub.id,
      mask: options.mask ?? EventMask.value | EventMask.alarm,
      low: 0,
      high: 0,
      to: 0,
    });
  }

  #stopSubscription(sub: CaSubscription): void {
    this.#subscriptions.delete(sub);
    const circuit = this.#circuit;
    if (!circuit || this.#sid === undefined || this.#state !== "connected") return;
    circuit.unsubscribe(sub.id);
    const dataType = this.#requestType(sub.options.family ?? "time", sub.options);
    circuit.send({
      type: "eventCancel",
      dataType,
      count: sub.options.count ?? 0,
      sid: this.#sid,
      subscriptionId: sub.id,
    });
  }

  /** Cancels monitors, clears the channel on the server and stops searching. */
  close(): void {
    if (this.#state === "closed") return;
    for (const sub of [...this.#subscriptions]) sub.close();
    const circuit = this.#circuit;
    const wasConnected = this.#state === "connected";
    this.#state = "closed";
    if (this.#retry) clearTimeout(this.#retry);
    this.#host.unsearch(this.cid);
    circuit?.detach(this.cid, this.#sid);
    this.#circuit = undefined;
    for (const wake of this.#waiters.splice(0)) wake();
    if (wasConnected) this.#notify(false);
    this.#host.forget(this);
  }
}
