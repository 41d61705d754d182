import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CaContext } from "../src/client/context.ts";
import { clientConfigFromEnv, parseAddressList, serverConfigFromEnv } from "../src/config.ts";
import { CaConfigError } from "../src/errors.ts";
import { startTestIoc } from "./helpers.ts";

describe("EPICS_CA_* configuration", () => {
  test("defaults follow libca", () => {
    const config = clientConfigFromEnv({});
    assert.deepEqual(config, {
      addrList: [],
      autoAddrList: true,
      serverPort: 5064,
      repeaterPort: 5065,
      connTimeout: 30,
      maxSearchPeriod: 300,
      maxArrayBytes: 16384,
    });
  });

  test("an address list takes hosts with or without ports", () => {
    assert.deepEqual(parseAddressList(" 10.0.0.255  ioc1:6064 ", 5064, "EPICS_CA_ADDR_LIST"), [
      { host: "10.0.0.255", port: 5064 },
      { host: "ioc1", port: 6064 },
    ]);
  });

  test("a bad value is a CaConfigError naming the variable and the value", () => {
    assert.throws(() => clientConfigFromEnv({ EPICS_CA_SERVER_PORT: "abc" }), {
      name: "CaConfigError",
      message: 'EPICS_CA_SERVER_PORT="abc" is not a port number (expected 1..65535)',
    });
    assert.throws(() => clientConfigFromEnv({ EPICS_CA_AUTO_ADDR_LIST: "maybe" }), CaConfigError);
    assert.throws(
      () => clientConfigFromEnv({ EPICS_CA_ADDR_LIST: "host:99999" }),
      /entry "host:99999"/,
    );
    assert.throws(() => clientConfigFromEnv({ EPICS_CA_MAX_ARRAY_BYTES: "100" }), /at least 16384/);
  });

  test("servers send beacons to the address list at the repeater port", () => {
    const config = serverConfigFromEnv({
      EPICS_CA_ADDR_LIST: "127.0.0.1",
      EPICS_CA_AUTO_ADDR_LIST: "NO",
      EPICS_CA_REPEATER_PORT: "7065",
      EPICS_CAS_INTF_ADDR_LIST: "127.0.0.1",
    });
    assert.deepEqual(config.beaconAddrList, [{ host: "127.0.0.1", port: 7065 }]);
    assert.equal(config.autoBeaconAddrList, false);
    assert.equal(config.interfaceAddress, "127.0.0.1");
  });

  test("a port in EPICS_CA_ADDR_LIST wins over EPICS_CA_SERVER_PORT", async () => {
    await using ioc = await startTestIoc();
    ioc.add("CFG:x", { value: 2 });
    const env = {
      ...ioc.clientEnv(),
      EPICS_CA_ADDR_LIST: `127.0.0.1:${ioc.udpPort}`,
      EPICS_CA_SERVER_PORT: "1",
    };
    await using ca = new CaContext({ env, timeout: 10 });
    assert.equal((await ca.get("CFG:x")).value, 2);
  });

  test("with nowhere to search, the timeout says so", async () => {
    await using ca = new CaContext({ env: { EPICS_CA_AUTO_ADDR_LIST: "NO" }, beacons: false });
    await assert.rejects(
      ca.get("CFG:nowhere", { timeout: 0.2 }),
      /EPICS_CA_ADDR_LIST is empty and EPICS_CA_AUTO_ADDR_LIST=NO/,
    );
  });
});
