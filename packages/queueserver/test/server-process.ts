// A queue server in a child process (for the restart tests): started from a fixture script
// that writes its port to a file, and killed with SIGKILL as a crash would.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { QueueServerClient } from "../src/index.ts";
import { TEST_PROFILE } from "./helpers.ts";

export interface ServerProcess {
  child: ChildProcess;
  client: QueueServerClient;
}

/** Runs `main dataDir portFile TEST_PROFILE ...extraArgs` and waits until it listens. */
export async function spawnServerProcess(
  main: string,
  dataDir: string,
  extraArgs: readonly string[] = [],
): Promise<ServerProcess> {
  const portFile = join(dataDir, `port-${Date.now()}`);
  const child = spawn(
    process.execPath,
    ["--import", "tsx", main, dataDir, portFile, TEST_PROFILE, ...extraArgs],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  const end = Date.now() + 30_000;
  while (!existsSync(portFile) || readFileSync(portFile, "utf8") === "") {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `the server ${main} exited (code ${child.exitCode}, signal ${child.signalCode}) before listening`,
      );
    }
    if (Date.now() > end) {
      await killProcess(child); // not left running after the test file ends
      throw new Error(`the server ${main} did not start within 30 s`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const url = `http://127.0.0.1:${readFileSync(portFile, "utf8")}`;
  return { child, client: new QueueServerClient({ url }) };
}

/** SIGKILL, and resolves once the process is gone (at once if it already is). */
export function killProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}
