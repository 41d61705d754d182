// A disposable redis-server for tests, examples and benchmarks: 127.0.0.1, a free port, no
// persistence, stopped at the end (and when the process exits early).
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { TestServerError } from "../errors.ts";

export interface RedisServer {
  /** "redis://127.0.0.1:<port>" */
  readonly url: string;
  readonly port: number;
  /** Stops the server; safe to call twice. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export interface StartRedisOptions {
  /** The redis-server binary: $CERULEAN_REDIS_SERVER, else /usr/bin/redis-server, else PATH. */
  binary?: string;
  /** How long to wait for "Ready to accept connections" (default 10,000 ms). */
  startTimeoutMs?: number;
}

async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function findBinary(): string {
  const fromEnv = process.env["CERULEAN_REDIS_SERVER"];
  if (fromEnv) return fromEnv;
  return existsSync("/usr/bin/redis-server") ? "/usr/bin/redis-server" : "redis-server";
}

/**
 * Starts a throwaway redis-server.
 * @example await using redis = await startRedisServer(); const pub = await openRedisPublisher({ redis: redis.url, beamline: "bl" });
 */
export async function startRedisServer(options: StartRedisOptions = {}): Promise<RedisServer> {
  const binary = options.binary ?? findBinary();
  const port = await freePort();
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
  const kill = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  };
  process.once("exit", kill);
  try {
    await ready(child, options.startTimeoutMs ?? 10_000, `${binary} ${args.join(" ")}`);
  } catch (error) {
    process.removeListener("exit", kill);
    kill();
    throw error;
  }
  const stop = async (): Promise<void> => {
    process.removeListener("exit", kill);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const timer = setTimeout(kill, 5000);
    await exited;
    clearTimeout(timer);
  };
  return { url: `redis://127.0.0.1:${port}`, port, stop, [Symbol.asyncDispose]: stop };
}

async function ready(child: ChildProcess, timeoutMs: number, command: string): Promise<void> {
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(`it did not report "Ready to accept connections" within ${timeoutMs} ms`),
      timeoutMs,
    );
    const fail = (why: string): void => {
      clearTimeout(timer);
      reject(
        new TestServerError(
          `cannot start redis-server (${command}): ${why}${output ? `\n${output.trim().slice(-2000)}` : ""}; install it with \`apt-get install redis-server\` or set CERULEAN_REDIS_SERVER`,
        ),
      );
    };
    const onData = (chunk: Buffer): void => {
      output += chunk.toString("utf8");
      if (output.includes("Ready to accept connections")) {
        clearTimeout(timer);
        child.stdout?.removeListener("data", onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    child.once("error", (error) => fail(error.message));
    child.once("exit", (code, signal) => fail(`it exited (code ${code}, signal ${signal})`));
  });
}
