// `cerulean ioc` serves the sim beamline over Channel Access (on loopback, never broadcasting).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createSocket } from "node:dgram";
import { describe, test } from "node:test";
import { CaContext, EpicsDetector, EpicsMotor } from "@cerulean/epics";
import { runIoc } from "../src/commands/ioc.ts";
import { CliUsageError } from "../src/errors.ts";

function freeUdpPort(): Promise<number> {
  return new Promise((resolve) => {
    const socket = createSocket("udp4");
    socket.bind(0, "127.0.0.1", () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

async function loopbackEnv(): Promise<Record<string, string>> {
  return {
    EPICS_CA_AUTO_ADDR_LIST: "NO",
    EPICS_CA_ADDR_LIST: "127.0.0.1",
    EPICS_CA_SERVER_PORT: String(await freeUdpPort()),
    EPICS_CA_REPEATER_PORT: String(await freeUdpPort()),
  };
}

describe("cerulean ioc", () => {
  test("serves the sim motors and detectors: a move and a trigger over CA", async () => {
    const env = await loopbackEnv();
    const lines: string[] = [];
    const stop = new AbortController();
    const running = runIoc(
      ["--interface", "127.0.0.1", "--port", env["EPICS_CA_SERVER_PORT"] ?? ""],
      {
        env,
        signal: stop.signal,
        print: (line) => lines.push(line),
      },
    );
    while (!lines.some((l) => l.startsWith("cerulean ioc: serving")))
      await new Promise((r) => setTimeout(r, 10));
    assert.match(lines[0] ?? "", /serving \d+ PVs with prefix "SIM:" on 127\.0\.0\.1:\d+/);
    assert.ok(lines.some((l) => l.includes("SIM:motor") && l.startsWith("  motors:")));

    const context = new CaContext({ env, timeout: 3 });
    assert.equal((await context.get("SIM:motor.RBV")).value, 0);
    const motor = new EpicsMotor("SIM:motor", "motor", { context });
    const det = new EpicsDetector("SIM:det", "det", { context });
    await motor.connect();
    await det.connect();
    await motor.set(1);
    await det.trigger();
    assert.equal((await motor.read())["motor"]?.value, 1);
    assert.equal((await det.read())["det"]?.value, Math.exp(-0.5));
    await context.close();

    stop.abort();
    assert.equal(await running, 0);
    assert.equal(lines.at(-1), "cerulean ioc: stopped");
  });

  test("--help explains the PVs; a bad option is a usage error", async () => {
    const lines: string[] = [];
    assert.equal(await runIoc(["--help"], { print: (l) => lines.push(l) }), 0);
    assert.match(lines.join("\n"), /SIM:motor\.VAL/);
    await assert.rejects(runIoc(["--port", "seventy"]), CliUsageError);
    await assert.rejects(runIoc(["--bogus"]), CliUsageError);
  });

  test("the cerulean command runs it and stops cleanly on SIGINT", async () => {
    const env = await loopbackEnv();
    const bin = new URL("../bin/cerulean.js", import.meta.url).pathname;
    const child = spawn(process.execPath, [bin, "ioc", "--interface", "127.0.0.1", "--list"], {
      env: { ...process.env, ...env, EPICS_CAS_SERVER_PORT: env["EPICS_CA_SERVER_PORT"] },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    while (!out.includes("SIM:motor.VAL")) {
      if (child.exitCode !== null) assert.fail(`cerulean ioc exited early: ${out}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const context = new CaContext({ env, timeout: 3 });
    assert.equal((await context.get("SIM:sig")).value, 0);
    await context.close();
    child.kill("SIGINT");
    assert.equal(await exited, 0);
    assert.match(out, /cerulean ioc: stopped/);
  });
});
