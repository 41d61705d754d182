// bluesky.callbacks.zmq.Proxy: publishers connect to the input port, subscribers to the output
// port, and every frame is forwarded unchanged, so Python and TypeScript peers mix freely on
// either side. The output is an XPUB socket so the proxy knows how many subscribers it has;
// each subscriber has its own high-water mark, so a slow one loses frames (and detects the loss
// from the documents) instead of stalling the others or the publishers.
import { Subscriber, XPublisher } from "zeromq";
import { BusTransportError } from "../errors.ts";
import { normalizeZmqAddress, portOf, type ZmqAddress } from "./address.ts";

export interface ZmqProxyOptions {
  /** Where publishers connect (default: a free port on 127.0.0.1). */
  inAddress?: ZmqAddress;
  /** Where subscribers connect (default: a free port on 127.0.0.1). */
  outAddress?: ZmqAddress;
  /** Frames held per subscriber before it starts losing them (ZeroMQ default 1,000). */
  sendHighWaterMark?: number;
  /** Called with every forwarded frame (the `-vvv` of `cerulean proxy`). */
  onFrame?: (frame: Buffer) => void;
}

/**
 * Starts a proxy; it runs until close().
 * @example
 * await using proxy = await startZmqProxy({ inAddress: 5577, outAddress: 5578 });
 */
export async function startZmqProxy(options: ZmqProxyOptions = {}): Promise<ZmqProxy> {
  const frontend = new Subscriber();
  const backend = new XPublisher();
  try {
    frontend.linger = 0;
    backend.linger = 0;
    backend.verbosity = "allSubsUnsubs";
    if (options.sendHighWaterMark !== undefined) {
      backend.sendHighWaterMark = options.sendHighWaterMark;
    }
    frontend.subscribe();
    await frontend.bind(normalizeZmqAddress(options.inAddress ?? 0));
    await backend.bind(normalizeZmqAddress(options.outAddress ?? 0));
  } catch (error) {
    frontend.close();
    backend.close();
    const why = error instanceof Error ? error.message : String(error);
    throw new BusTransportError(
      `cannot bind the ZeroMQ proxy (in ${String(options.inAddress ?? "any port")}, out ${String(options.outAddress ?? "any port")}): ${why}`,
      { cause: error },
    );
  }
  return new ZmqProxy(frontend, backend, options.onFrame);
}

/** A running proxy; see startZmqProxy. */
export class ZmqProxy {
  /** The bound input endpoint, e.g. "tcp://127.0.0.1:40123". */
  readonly inAddress: string;
  readonly outAddress: string;
  readonly #frontend: Subscriber;
  readonly #backend: XPublisher;
  readonly #onFrame: ((frame: Buffer) => void) | undefined;
  #subscribers = 0;
  #forwarded = 0;
  #closed = false;
  #failure: BusTransportError | undefined;
  #waiters: { count: number; resolve: () => void }[] = [];
  readonly #done: Promise<void>;

  /** @internal use startZmqProxy */
  constructor(frontend: Subscriber, backend: XPublisher, onFrame?: (frame: Buffer) => void) {
    this.#frontend = frontend;
    this.#backend = backend;
    this.#onFrame = onFrame;
    this.inAddress = frontend.lastEndpoint ?? "";
    this.outAddress = backend.lastEndpoint ?? "";
    void this.#watchSubscriptions();
    this.#done = this.#forward();
  }

  get inPort(): number | undefined {
    return portOf(this.inAddress);
  }

  get outPort(): number | undefined {
    return portOf(this.outAddress);
  }

  /** Subscriptions currently held by subscribers (one per subscriber and prefix). */
  get subscribers(): number {
    return this.#subscribers;
  }

  /** Frames forwarded so far. */
  get forwarded(): number {
    return this.#forwarded;
  }

  /** Resolves when at least `count` subscriptions are held: frames sent now reach them. */
  async waitForSubscribers(count = 1): Promise<void> {
    if (this.#subscribers >= count || this.#closed) return;
    await new Promise<void>((resolve) => this.#waiters.push({ count, resolve }));
  }

  /** Why the proxy stopped on its own, if it did. */
  get failure(): BusTransportError | undefined {
    return this.#failure;
  }

  /** Resolves when the proxy has stopped (after close(), or a socket failure: see failure). */
  get done(): Promise<void> {
    return this.#done;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#frontend.close();
    this.#backend.close();
    for (const { resolve } of this.#waiters.splice(0)) resolve();
    await this.#done;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #forward(): Promise<void> {
    try {
      for await (const frames of this.#frontend) {
        await this.#backend.send(frames);
        this.#forwarded++;
        if (this.#onFrame && frames[0]) this.#onFrame(frames[0]);
      }
    } catch (error) {
      if (!this.#closed) {
        const why = error instanceof Error ? error.message : String(error);
        this.#failure = new BusTransportError(`the ZeroMQ proxy stopped forwarding: ${why}`, {
          cause: error,
        });
      }
    }
  }

  async #watchSubscriptions(): Promise<void> {
    try {
      for await (const [message] of this.#backend) {
        if (!message || message.length === 0) continue;
        if (message[0] === 1) this.#subscribers++;
        else if (message[0] === 0) this.#subscribers = Math.max(0, this.#subscribers - 1);
        this.#waiters = this.#waiters.filter((w) => {
          if (this.#subscribers < w.count) return true;
          w.resolve();
          return false;
        });
      }
    } catch {
      // closed
    }
  }
}
