// `cerulean ioc`: serves the sim beamline's devices as EPICS Channel Access PVs.
import { parseArgs } from "node:util";
import type { SoftIoc } from "@cerulean/epics";
import { CliUsageError } from "../errors.ts";
import { waitForStop } from "../wait-for-stop.ts";

const HELP = `Usage: cerulean ioc [options]

Serves the simulated beamline's devices as EPICS PVs over Channel Access, so that a scan
can be run over the network (motors as motor records, detectors as processed records,
image_det as an areaDetector-style camera). Runs until interrupted (Ctrl-C).

Options:
  --prefix <text>      PV name prefix (default "SIM:"): SIM:motor.VAL, SIM:det...
  --port <n>           UDP search port and preferred TCP port
                       (default EPICS_CAS_SERVER_PORT / EPICS_CA_SERVER_PORT / 5064)
  --interface <ip>     address to bind (default EPICS_CAS_INTF_ADDR_LIST / all)
  --velocity <n>       motor speed, units/s (default: instant moves)
  --seed <n>           seed the detectors' noise
  --list               print every PV name once serving
  -h, --help           show this help

Beacons go to EPICS_CAS_BEACON_ADDR_LIST (else EPICS_CA_ADDR_LIST), plus the broadcast
addresses unless EPICS_CA_AUTO_ADDR_LIST=NO.`;

function numberOption(name: string, text: string | undefined, integer = false): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    throw new CliUsageError(`--${name} "${text}" is not ${integer ? "an integer" : "a number"}`);
  }
  return n;
}

export interface IocRunOptions {
  /** Stops the IOC when aborted (default: SIGINT / SIGTERM). */
  signal?: AbortSignal;
  /** Output lines (default console.log). */
  print?: (line: string) => void;
  /** EPICS_CA_* / EPICS_CAS_* variables (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Runs `cerulean ioc` with `args`; resolves to the exit code once stopped. */
export async function runIoc(args: string[], options: IocRunOptions = {}): Promise<number> {
  const print = options.print ?? ((line: string) => console.log(line));
  let values: ReturnType<typeof parse>["values"];
  try {
    values = parse(args).values;
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    print(HELP);
    return 0;
  }
  const port = numberOption("port", values.port, true);
  if (port !== undefined && (port < 1 || port > 65535)) {
    throw new CliUsageError(`--port ${port} is not a port number (expected 1..65535)`);
  }
  const velocity = numberOption("velocity", values.velocity);
  const seed = numberOption("seed", values.seed, true);
  const prefix = values.prefix ?? "SIM:";
  // Loaded on use: the other commands must not pay for the simulation and CA at startup.
  const { createSimBeamline } = await import("@cerulean/devices/sim");
  const { serveSimBeamline, startSoftIoc } = await import("@cerulean/epics");
  const beamline = await createSimBeamline({
    ...(velocity === undefined ? {} : { velocity }),
    ...(seed === undefined ? {} : { seed }),
  });
  const config = {
    ...(port === undefined ? {} : { serverPort: port }),
    ...(values.interface === undefined ? {} : { interfaceAddress: values.interface }),
  };
  const ioc: SoftIoc = await startSoftIoc({ config, env: options.env ?? process.env });
  const { names, unserve } = await serveSimBeamline(ioc, beamline, prefix);
  const where = `${ioc.config.interfaceAddress}:${ioc.udpPort} (TCP ${ioc.tcpPort})`;
  print(`cerulean ioc: serving ${ioc.database.size} PVs with prefix "${prefix}" on ${where}`);
  print(`  motors: ${names.motors.join(" ")}`);
  print(`  detectors: ${names.detectors.join(" ")}`);
  print(`  signals: ${names.signals.join(" ")}`);
  print(`  cameras: ${names.cameras.join(" ")}`);
  if (values.list) for (const name of ioc.database.names().sort()) print(name);
  await waitForStop(options.signal);
  unserve();
  await ioc.close();
  print("cerulean ioc: stopped");
  return 0;
}

function parse(args: string[]) {
  return parseArgs({
    args,
    options: {
      prefix: { type: "string" },
      port: { type: "string" },
      interface: { type: "string" },
      velocity: { type: "string" },
      seed: { type: "string" },
      list: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  });
}

/** The `ioc` entry of the command table. */
export const iocCommand = {
  summary: "serve the sim beamline's devices as EPICS PVs (Channel Access)",
  run: (args: string[]) => runIoc(args),
};
