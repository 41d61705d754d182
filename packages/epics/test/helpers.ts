// Loopback fixtures: every IOC binds 127.0.0.1 on ephemeral ports and beacons only there.
import { CaContext, type CaContextOptions } from "../src/client/context.ts";
import type { CaServerConfig } from "../src/config.ts";
import { type SoftIoc, startSoftIoc } from "../src/server/soft-ioc.ts";
import { freeUdpPort } from "../src/testing/free-udp-port.ts";

/** A UDP port free right now on 127.0.0.1. */
export { freeUdpPort };

export interface TestIocOptions {
  /** UDP search port (default: ephemeral). */
  serverPort?: number;
  tcpPort?: number;
  /** Where beacons go (default: a free port). */
  repeaterPort?: number;
  maxArrayBytes?: number;
}

/** Starts an IOC on 127.0.0.1 that never broadcasts. */
export async function startTestIoc(options: TestIocOptions = {}): Promise<SoftIoc> {
  const repeaterPort = options.repeaterPort ?? (await freeUdpPort());
  const config: Partial<CaServerConfig> = {
    interfaceAddress: "127.0.0.1",
    serverPort: options.serverPort ?? 0,
    beaconAddrList: [{ host: "127.0.0.1", port: repeaterPort }],
    autoBeaconAddrList: false,
    beaconPort: repeaterPort,
    beaconPeriod: 1,
  };
  if (options.maxArrayBytes !== undefined) config.maxArrayBytes = options.maxArrayBytes;
  return startSoftIoc({
    env: {},
    config,
    ...(options.tcpPort === undefined ? {} : { tcpPort: options.tcpPort }),
  });
}

/**
 * A client context that finds `ioc` by unicast on loopback. Its default timeout is generous (a
 * loaded machine is slow, not broken); tests of timeouts pass their own.
 */
export function contextFor(ioc: SoftIoc, options: CaContextOptions = {}): CaContext {
  return new CaContext({ env: ioc.clientEnv(), timeout: 10, ...options });
}

/** Resolves once `predicate()` holds (polling), or rejects after `ms`. */
export async function eventually(
  predicate: () => boolean,
  ms = 10_000,
  what = "condition",
): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > ms) throw new Error(`${what} not reached within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
