// The client context: configuration, the search engine, the shared circuits, the channels.
import { type CaClientConfig, type CaEnv, clientConfigFromEnv } from "../config.ts";
import { CaConfigError } from "../errors.ts";
import { MAX_NAME_LENGTH } from "../protocol/commands.ts";
import type { CaPutValue } from "../protocol/convert.ts";
import { type CaTransport, nodeTransport } from "../transport.ts";
import type { CaValue } from "./ca-value.ts";
import { CaChannel, type ChannelHost, type GetOptions, type PutOptions } from "./channel.ts";
import { Circuit } from "./circuit.ts";
import { SearchEngine, type SearchResult } from "./search.ts";
import type { CaMonitor, MonitorOptions } from "./subscription.ts";

export interface CaContextOptions {
  /** The sockets to use; default `nodeTransport()`. */
  transport?: CaTransport;
  /** Where EPICS_CA_* variables are read; default process.env. */
  env?: CaEnv;
  /** Overrides of what the environment says. */
  config?: Partial<CaClientConfig>;
  /** Default timeout of connect, get and put, in seconds (default 5). */
  timeout?: number;
  /** Hear server beacons through a repeater, to reconnect at once after a restart (default true). */
  beacons?: boolean;
  clientName?: string;
  hostName?: string;
}

/**
 * A Channel Access client. Channels to PVs on the same server share one circuit.
 * @example
 * await using ca = new CaContext();
 * const motor = await ca.channel("SIM:motor.RBV");
 * console.log((await motor.get()).value);
 */
export class CaContext {
  readonly config: CaClientConfig;
  readonly #transport: CaTransport;
  readonly #timeout: number;
  readonly #search: SearchEngine;
  readonly #channels = new Map<number, CaChannel>();
  readonly #circuits = new Map<string, Circuit>();
  readonly #shared = new Map<string, CaChannel>();
  readonly #host: ChannelHost;
  readonly #clientName: string;
  readonly #hostName: string;
  #started: Promise<void> | undefined;
  #nextCid = 1;
  #nextSubscriptionId = 1;
  #closed = false;

  constructor(options: CaContextOptions = {}) {
    this.config = { ...clientConfigFromEnv(options.env ?? process.env), ...options.config };
    this.#transport = options.transport ?? nodeTransport();
    this.#timeout = options.timeout ?? 5;
    this.#clientName = options.clientName ?? this.#transport.userName();
    this.#hostName = options.hostName ?? this.#transport.hostName();
    this.#search = new SearchEngine({
      transport: this.#transport,
      config: this.config,
      beacons: options.beacons ?? true,
      onFound: (result) => this.#found(result),
    });
    this.#host = {
      maxArrayBytes: this.config.maxArrayBytes,
      defaultTimeout: this.#timeout,
      search: (channel) => this.#startSearch(channel),
      unsearch: (cid) => this.#search.remove(cid),
      searchProblem: () => this.#search.problem,
      nextSubscriptionId: () => this.#nextSubscriptionId++,
      forget: (channel) => {
        this.#channels.delete(channel.cid);
        if (this.#shared.get(channel.name) === channel) this.#shared.delete(channel.name);
      },
    };
  }

  /** Creates a channel and starts searching; it connects (and reconnects) in the background. */
  createChannel(name: string): CaChannel {
    if (this.#closed) throw new CaConfigError(`the CA context is closed; cannot open "${name}"`);
    if (name.length === 0 || name.length > MAX_NAME_LENGTH) {
      throw new CaConfigError(
        `PV name "${name.slice(0, 80)}" must have 1..${MAX_NAME_LENGTH} characters`,
      );
    }
    const cid = this.#nextCid;
    this.#nextCid = (this.#nextCid + 1) >>> 0 || 1;
    const channel = new CaChannel(this.#host, name, cid);
    this.#channels.set(cid, channel);
    this.#startSearch(channel);
    return channel;
  }

  /** Creates a channel and waits for it to connect (CaTimeoutError naming the PV otherwise). */
  async channel(name: string, options: { timeout?: number } = {}): Promise<CaChannel> {
    const channel = this.createChannel(name);
    try {
      await channel.waitConnected(options.timeout ?? this.#timeout);
    } catch (error) {
      channel.close();
      throw error;
    }
    return channel;
  }

  /** A channel shared by the convenience methods below, one per name. */
  #sharedChannel(name: string): CaChannel {
    let channel = this.#shared.get(name);
    if (!channel) {
      channel = this.createChannel(name);
      this.#shared.set(name, channel);
    }
    return channel;
  }

  /** Reads `name` (over a channel kept open for later calls). */
  get(name: string, options?: GetOptions): Promise<CaValue> {
    return this.#sharedChannel(name).get(options);
  }

  /** Writes `name` (over a channel kept open for later calls). */
  put(name: string, value: CaPutValue, options?: PutOptions): Promise<void> {
    return this.#sharedChannel(name).put(value, options);
  }

  /** Monitors `name` as an async iterable. */
  monitor(name: string, options?: MonitorOptions & { bufferSize?: number }): CaMonitor {
    return this.#sharedChannel(name).monitor(options);
  }

  #startSearch(channel: CaChannel): void {
    this.#started ??= this.#search.start();
    this.#started.then(
      () => {
        if (channel.state === "searching" && !this.#closed)
          this.#search.add(channel.cid, channel.name);
      },
      () => {}, // a failed socket bind shows up as a timeout naming the PV
    );
  }

  #found(result: SearchResult): void {
    const channel = this.#channels.get(result.cid);
    if (!channel) return;
    const key = `${result.address}:${result.port}`;
    let circuit = this.#circuits.get(key);
    if (!circuit || circuit.closed) {
      circuit = new Circuit({
        transport: this.#transport,
        config: this.config,
        address: result.address,
        port: result.port,
        clientName: this.#clientName,
        hostName: this.#hostName,
        onClosed: (c) => {
          if (this.#circuits.get(c.key) === c) this.#circuits.delete(c.key);
        },
      });
      this.#circuits.set(key, circuit);
    }
    channel.found(circuit);
  }

  /** True once a repeater confirmed our registration: server beacons reach this context. */
  get hearsBeacons(): boolean {
    return this.#search.hearsBeacons;
  }

  /** The open circuits ("ip:port"), for diagnostics. */
  get circuits(): string[] {
    return [...this.#circuits.keys()];
  }

  /** Closes every channel and circuit and the search socket. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const channel of [...this.#channels.values()]) channel.close();
    for (const circuit of [...this.#circuits.values()]) circuit.close();
    this.#search.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
