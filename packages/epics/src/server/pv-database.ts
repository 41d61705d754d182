// The PVs a soft IOC serves, by name.
import { CaServerError } from "../errors.ts";
import { MAX_NAME_LENGTH } from "../protocol/commands.ts";
import { ProcessVariable, type PvDefinition } from "./process-variable.ts";

/** A set of PVs. "REC" and "REC.VAL" name the same PV, as on an IOC. */
export class PvDatabase {
  readonly #pvs = new Map<string, ProcessVariable>();
  readonly #removalListeners = new Set<(pv: ProcessVariable) => void>();

  /** Adds a PV; throws CaServerError for a duplicate or invalid name. */
  add(name: string, definition: PvDefinition): ProcessVariable {
    if (name.length === 0 || name.length >= MAX_NAME_LENGTH || /\s/.test(name)) {
      throw new CaServerError(
        `PV name "${name.slice(0, 80)}" must be 1..${MAX_NAME_LENGTH - 1} characters without spaces`,
      );
    }
    if (this.get(name)) throw new CaServerError(`PV "${name}" is already served`);
    const pv = new ProcessVariable(name, definition);
    this.#pvs.set(name, pv);
    return pv;
  }

  /** The PV named `name` (trying the ".VAL" alias both ways). */
  get(name: string): ProcessVariable | undefined {
    const pv = this.#pvs.get(name);
    if (pv) return pv;
    if (name.endsWith(".VAL")) return this.#pvs.get(name.slice(0, -4));
    return name.includes(".") ? undefined : this.#pvs.get(`${name}.VAL`);
  }

  /** The PV named `name`; throws CaServerError naming it when there is none. */
  require(name: string): ProcessVariable {
    const pv = this.get(name);
    if (!pv) throw new CaServerError(`no PV named "${name}" is served`);
    return pv;
  }

  /** Stops serving a PV; connected clients are told it is gone. */
  remove(name: string): boolean {
    const pv = this.get(name);
    if (!pv) return false;
    this.#pvs.delete(pv.name);
    for (const listener of this.#removalListeners) listener(pv);
    return true;
  }

  names(): string[] {
    return [...this.#pvs.keys()];
  }

  get size(): number {
    return this.#pvs.size;
  }

  /** @internal Circuits hear of removed PVs to disconnect their channels. */
  onRemove(listener: (pv: ProcessVariable) => void): () => void {
    this.#removalListeners.add(listener);
    return () => this.#removalListeners.delete(listener);
  }
}
