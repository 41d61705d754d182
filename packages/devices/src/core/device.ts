import type { HasName, HasParent } from "../protocols/has-name.ts";
import { NotConnectedError, toError } from "./errors.ts";
import type { ConnectOptions } from "./signal.ts";

/**
 * What a child contributes to its parent (ophyd's Kind): `hinted` and `normal` children
 * are in `read()` (hinted ones also in `hints`), `config` ones in `readConfiguration()`,
 * `omitted` ones in neither.
 */
export type Kind = "hinted" | "normal" | "config" | "omitted";

/** A node of a device tree: a Device or a Signal. */
export interface DeviceNode extends HasName, HasParent {
  parent: HasName | undefined;
  setName(name: string): void;
  connect(options?: ConnectOptions): Promise<void>;
}

/** How a child sits in its parent. */
export interface ChildOptions {
  /** Default "normal". */
  kind?: Kind;
  /** The child takes the parent's own name (ophyd's SynAxis readback is named "motor"). */
  nameAsParent?: boolean;
}

interface ChildEntry {
  node: DeviceNode;
  kind: Kind;
  nameAsParent: boolean;
}

/** A tree of named children (signals and devices), named `parent_child` as in ophyd. */
export class Device implements DeviceNode {
  #name = "";
  #children = new Map<string, ChildEntry>();
  parent: HasName | undefined;

  constructor(name = "") {
    this.#name = name;
  }

  get name(): string {
    return this.#name;
  }

  /** Names this device and, recursively, its children (`motor1` → `motor1_setpoint`). */
  setName(name: string): void {
    this.#name = name;
    for (const [attr, entry] of this.#children) entry.node.setName(this.#childName(attr, entry));
  }

  /** Adds a child under `attr`, names it and makes this its parent; returns it. */
  protected addChild<TNode extends DeviceNode>(
    attr: string,
    node: TNode,
    options: ChildOptions = {},
  ): TNode {
    const entry: ChildEntry = {
      node,
      kind: options.kind ?? "normal",
      nameAsParent: options.nameAsParent ?? false,
    };
    this.#children.set(attr, entry);
    node.parent = this;
    node.setName(this.#childName(attr, entry));
    return node;
  }

  /** The children in the order they were added: `[attr, node, kind]`. */
  *children(): IterableIterator<[string, DeviceNode, Kind]> {
    for (const [attr, entry] of this.#children) yield [attr, entry.node, entry.kind];
  }

  /** Connects every child at once; a failure lists every child that failed and why. */
  async connect(options: ConnectOptions = {}): Promise<void> {
    const entries = [...this.#children.values()];
    const results = await Promise.allSettled(entries.map((e) => e.node.connect(options)));
    const failures = new Map<string, Error>();
    results.forEach((result, i) => {
      if (result.status === "rejected") {
        failures.set(entries[i]?.node.name ?? String(i), toError(result.reason));
      }
    });
    if (failures.size > 0) throw new NotConnectedError(this.#name, failures);
  }

  #childName(attr: string, entry: ChildEntry): string {
    if (entry.nameAsParent) return this.#name;
    return this.#name ? `${this.#name}_${attr}` : attr;
  }

  toString(): string {
    return `${this.constructor.name}(${this.#name})`;
  }
}
