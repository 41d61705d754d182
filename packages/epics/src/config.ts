// The EPICS_CA_* / EPICS_CAS_* environment variables, read once into plain options.
import { CaConfigError } from "./errors.ts";
import {
  DEFAULT_MAX_ARRAY_BYTES,
  DEFAULT_REPEATER_PORT,
  DEFAULT_SERVER_PORT,
} from "./protocol/commands.ts";

/** Environment variables by name (process.env or a test's own). */
export type CaEnv = Readonly<Record<string, string | undefined>>;

/** A host (name or IPv4) and UDP port to send searches or beacons to. */
export interface CaAddress {
  host: string;
  port: number;
}

function port(env: CaEnv, name: string, fallback: number): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    throw new CaConfigError(`${name}="${text}" is not a port number (expected 1..65535)`);
  }
  return n;
}

function seconds(env: CaEnv, name: string, fallback: number, minimum = 0): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) {
    throw new CaConfigError(`${name}="${text}" is not a positive number of seconds`);
  }
  return Math.max(n, minimum);
}

function yesNo(env: CaEnv, name: string, fallback: boolean): boolean {
  const text = env[name]?.trim();
  if (!text) return fallback;
  if (/^(yes|y|true|1)$/i.test(text)) return true;
  if (/^(no|n|false|0)$/i.test(text)) return false;
  throw new CaConfigError(`${name}="${text}" must be YES or NO`);
}

/** Parses a space-separated "host[:port]" list (EPICS_CA_ADDR_LIST syntax). */
export function parseAddressList(text: string, defaultPort: number, name: string): CaAddress[] {
  const out: CaAddress[] = [];
  for (const entry of text.split(/\s+/).filter(Boolean)) {
    const match = /^([^:]+)(?::(\d+))?$/.exec(entry);
    const portText = match?.[2];
    const p = portText === undefined ? defaultPort : Number(portText);
    if (!match?.[1] || !Number.isInteger(p) || p < 1 || p > 65535) {
      throw new CaConfigError(`${name} entry "${entry}" is not "host" or "host:port"`);
    }
    out.push({ host: match[1], port: p });
  }
  return out;
}

function maxArrayBytes(env: CaEnv): number {
  const text = env["EPICS_CA_MAX_ARRAY_BYTES"]?.trim();
  if (!text) return DEFAULT_MAX_ARRAY_BYTES;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 16384) {
    throw new CaConfigError(
      `EPICS_CA_MAX_ARRAY_BYTES="${text}" must be an integer of at least 16384`,
    );
  }
  return n;
}

/** Client settings; every field has an environment variable. */
export interface CaClientConfig {
  /** EPICS_CA_ADDR_LIST: where searches go, besides the automatic broadcast addresses. */
  addrList: CaAddress[];
  /** EPICS_CA_AUTO_ADDR_LIST: also search every interface's broadcast address. */
  autoAddrList: boolean;
  /** EPICS_CA_SERVER_PORT: the servers' UDP search port. */
  serverPort: number;
  /** EPICS_CA_REPEATER_PORT: where beacons are collected. */
  repeaterPort: number;
  /** EPICS_CA_CONN_TMO: seconds of silence before a circuit is probed with an echo. */
  connTimeout: number;
  /** EPICS_CA_MAX_SEARCH_PERIOD: the longest interval between searches for a missing PV. */
  maxSearchPeriod: number;
  /** EPICS_CA_MAX_ARRAY_BYTES: the largest array this client sends or accepts. */
  maxArrayBytes: number;
}

/** Reads the client settings from `env`; throws CaConfigError naming a bad variable. */
export function clientConfigFromEnv(env: CaEnv): CaClientConfig {
  const serverPort = port(env, "EPICS_CA_SERVER_PORT", DEFAULT_SERVER_PORT);
  return {
    addrList: parseAddressList(env["EPICS_CA_ADDR_LIST"] ?? "", serverPort, "EPICS_CA_ADDR_LIST"),
    autoAddrList: yesNo(env, "EPICS_CA_AUTO_ADDR_LIST", true),
    serverPort,
    repeaterPort: port(env, "EPICS_CA_REPEATER_PORT", DEFAULT_REPEATER_PORT),
    connTimeout: seconds(env, "EPICS_CA_CONN_TMO", 30, 0.1),
    maxSearchPeriod: seconds(env, "EPICS_CA_MAX_SEARCH_PERIOD", 300, 1),
    maxArrayBytes: maxArrayBytes(env),
  };
}

/** Server settings; every field has an environment variable. */
export interface CaServerConfig {
  /** EPICS_CAS_SERVER_PORT (else EPICS_CA_SERVER_PORT): UDP search port, preferred TCP port. */
  serverPort: number;
  /** EPICS_CAS_INTF_ADDR_LIST: the interface to bind (first entry), default all. */
  interfaceAddress: string;
  /** EPICS_CAS_BEACON_ADDR_LIST (else EPICS_CA_ADDR_LIST): where beacons go. */
  beaconAddrList: CaAddress[];
  /** EPICS_CAS_AUTO_BEACON_ADDR_LIST (else EPICS_CA_AUTO_ADDR_LIST). */
  autoBeaconAddrList: boolean;
  /** EPICS_CAS_BEACON_PERIOD (else EPICS_CA_BEACON_PERIOD): the steady beacon interval. */
  beaconPeriod: number;
  /** EPICS_CAS_BEACON_PORT (else EPICS_CA_REPEATER_PORT). */
  beaconPort: number;
  /** EPICS_CA_MAX_ARRAY_BYTES. */
  maxArrayBytes: number;
}

/** Reads the server settings from `env`; throws CaConfigError naming a bad variable. */
export function serverConfigFromEnv(env: CaEnv): CaServerConfig {
  const serverPort = env["EPICS_CAS_SERVER_PORT"]
    ? port(env, "EPICS_CAS_SERVER_PORT", DEFAULT_SERVER_PORT)
    : port(env, "EPICS_CA_SERVER_PORT", DEFAULT_SERVER_PORT);
  const beaconPort = env["EPICS_CAS_BEACON_PORT"]
    ? port(env, "EPICS_CAS_BEACON_PORT", DEFAULT_REPEATER_PORT)
    : port(env, "EPICS_CA_REPEATER_PORT", DEFAULT_REPEATER_PORT);
  const listName = env["EPICS_CAS_BEACON_ADDR_LIST"]
    ? "EPICS_CAS_BEACON_ADDR_LIST"
    : "EPICS_CA_ADDR_LIST";
  const autoName = env["EPICS_CAS_AUTO_BEACON_ADDR_LIST"]
    ? "EPICS_CAS_AUTO_BEACON_ADDR_LIST"
    : "EPICS_CA_AUTO_ADDR_LIST";
  const periodName = env["EPICS_CAS_BEACON_PERIOD"]
    ? "EPICS_CAS_BEACON_PERIOD"
    : "EPICS_CA_BEACON_PERIOD";
  const intf = parseAddressList(
    env["EPICS_CAS_INTF_ADDR_LIST"] ?? "",
    serverPort,
    "EPICS_CAS_INTF_ADDR_LIST",
  );
  return {
    serverPort,
    interfaceAddress: intf[0]?.host ?? "0.0.0.0",
    // Beacons go to the repeater port whatever port the address list names for searches.
    beaconAddrList: parseAddressList(env[listName] ?? "", beaconPort, listName).map((a) =>
      listName === "EPICS_CA_ADDR_LIST" ? { host: a.host, port: beaconPort } : a,
    ),
    autoBeaconAddrList: yesNo(env, autoName, true),
    beaconPeriod: seconds(env, periodName, 15, 0.1),
    beaconPort,
    maxArrayBytes: maxArrayBytes(env),
  };
}
