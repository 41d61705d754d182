// Signals over Channel Access: the builders device classes use.
import { SignalR, SignalRW, SignalW, SignalX } from "@cerulean/devices";
import { type CaDatatype, CaSignalBackend } from "./ca-signal-backend.ts";
import { CaContext } from "./client/context.ts";

/** Options of the CA signal builders. */
export interface CaSignalOptions {
  /** The client context; default the process-wide one from `defaultCaContext()`. */
  context?: CaContext;
  /** Presentation of the value (and type of the mock value); default from the PV. */
  datatype?: CaDatatype;
  /** Signal name; devices name their children themselves. */
  name?: string;
}

let shared: CaContext | undefined;

/**
 * The context signals use when none is given: created on first use from process.env
 * (EPICS_CA_ADDR_LIST...), like libca's. Pass your own `context` to control sockets.
 */
export function defaultCaContext(): CaContext {
  shared ??= new CaContext();
  return shared;
}

/** Closes the default context (its channels disconnect); a later use makes a new one. */
export async function closeDefaultCaContext(): Promise<void> {
  const context = shared;
  shared = undefined;
  await context?.close();
}

function backend<T>(
  readPv: string,
  options: CaSignalOptions,
  writePv = readPv,
): CaSignalBackend<T> {
  return new CaSignalBackend<T>(options.context ?? defaultCaContext(), readPv, {
    writePv,
    ...(options.datatype ? { datatype: options.datatype } : {}),
  });
}

/** A read-only signal of `pv` (monitored while subscribed). */
export function caSignalR<T = number>(pv: string, options: CaSignalOptions = {}): SignalR<T> {
  return new SignalR(backend<T>(pv, options), options.name ?? "");
}

/**
 * A read-write signal writing `setpointPv` and reading `readbackPv` (default the same PV).
 * @example caSignalRW("SIM:motor.VAL", "SIM:motor.RBV")
 */
export function caSignalRW<T = number>(
  setpointPv: string,
  readbackPv: string = setpointPv,
  options: CaSignalOptions = {},
): SignalRW<T> {
  return new SignalRW(backend<T>(readbackPv, options, setpointPv), options.name ?? "");
}

/** A write-only signal of `pv`. */
export function caSignalW<T = number>(pv: string, options: CaSignalOptions = {}): SignalW<T> {
  return new SignalW(backend<T>(pv, options), options.name ?? "");
}

/** An action signal: `trigger()` writes 1 to `pv` (a .PROC field, a STOP button). */
export function caSignalX(pv: string, options: CaSignalOptions = {}): SignalX {
  return new SignalX(backend<undefined>(pv, options), options.name ?? "");
}
