// `cerulean ioc` serves the sim beamline over Channel Access (on loopback, never broadcasting).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createSocket } from "node:dgram";
import { describe, test } from "node:test";
import { CaContext, EpicsDetector, EpicsMotor } from "@cerulean/epics";
import { until, within } from "@cerulean/event-model/testing";
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
    let ended: string | undefined;
    running.then(
      (code) => {
        ended = `runIoc returned ${code}: ${lines.join("\n")}`;
      },
      (error: unknown) => {
        ended = `runIoc failed: ${String(error)}`;
      },
    );
    const context = new CaContext({ env, timeout: 3 });
    try {
      await until(
        "cerulean ioc: serving",
        () => lines.some((l) => l.startsWith("cerulean ioc: serving")),
        { failed: () => ended },
      );
      assert.match(lines[0] ?? "", /serving \d+ PVs with prefix "SIM:" on 127\.0\.0\.1:\d+/);
      assert.ok(lines.some((l) => l.includes("SIM:motor") && l.startsWith("  motors:")));
      assert.equal((await context.get("SIM:motor.RBV")).value, 0);
      const motor = new EpicsMotor("SIM:motor", "motor", { context });
      const det = new EpicsDetector("SIM:det", "det", { context });
      await motor.connect();
      await det.connect();
      await within(motor.set(1), "the CA motor move to 1");
      await within(det.trigger(), "the CA detector trigger");
      assert.equal((await motor.read())["motor"]?.value, 1);
      assert.equal((await det.read())["det"]?.value, Math.exp(-0.5));
    } finally {
      // A failure must not leave the server running (it would keep the test file alive).
      await context.close();
      stop.abort();
    }
    assert.equal(await within(running, "cerulean ioc to stop after the abort"), 0);
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
    try {
      await until("cerulean ioc to list SIM:motor.VAL", () => out.includes("SIM:motor.VAL"), {
        failed: () =>
          child.exitCode !== null || child.signalCode !== null
            ? `cerulean ioc exited early (${child.exitCode ?? child.signalCode}): ${out}`
            : undefined,
      });
      const context = new CaContext({ env, timeout: 3 });
      try {
        assert.equal((await context.get("SIM:sig")).value, 0);
      } finally {
        await context.close();
      }
      child.kill("SIGINT");
      assert.equal(await within(exited, "cerulean ioc to exit on SIGINT"), 0);
      assert.match(out, /cerulean ioc: stopped/);
    } finally {
      // A failed assertion must not leave the server running (it would keep the file alive).
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
  });
});
