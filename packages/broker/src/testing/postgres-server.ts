// A disposable PostgreSQL server for tests and benchmarks: a fresh cluster in a temporary
// directory, listening on 127.0.0.1 on a free port, stopped and deleted at the end.
import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PostgresServerError } from "../errors.ts";

export interface PostgresServer {
  /** `postgresql://postgres@127.0.0.1:<port>/postgres` */
  readonly connectionString: string;
  readonly port: number;
  /** Stops the server and deletes its files; safe to call twice. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export interface StartPostgresOptions {
  /** Directory holding initdb and pg_ctl; found under /usr/lib/postgresql by default. */
  binDir?: string;
  /** Keep fsync on (for benchmarks that should pay for durability); off by default. */
  fsync?: boolean;
}

/** The PostgreSQL bin directory: $CERULEAN_PG_BIN, `pg_config --bindir`, or the newest Debian one. */
export function findPostgresBinDir(): string | undefined {
  const fromEnv = process.env["CERULEAN_PG_BIN"];
  if (fromEnv && existsSync(join(fromEnv, "initdb"))) return fromEnv;
  const root = "/usr/lib/postgresql";
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, "bin", "initdb")))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(root, versions[0], "bin");
  }
  try {
    const dir = execFileSync("pg_config", ["--bindir"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    if (existsSync(join(dir, "initdb"))) return dir;
  } catch {
    // no pg_config on PATH
  }
  return undefined;
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

/**
 * Starts a throwaway PostgreSQL server. As root it runs the server as the `postgres` user
 * (PostgreSQL refuses to run as root).
 * @example await using pg = await startPostgresServer(); const storage = await PostgresStorage.open(pg);
 */
export async function startPostgresServer(
  options: StartPostgresOptions = {},
): Promise<PostgresServer> {
  const bin = options.binDir ?? findPostgresBinDir();
  if (!bin || !existsSync(join(bin, "initdb"))) {
    throw new PostgresServerError(
      "PostgreSQL's initdb was not found (looked in $CERULEAN_PG_BIN, /usr/lib/postgresql/*/bin and pg_config --bindir); install it, e.g. `apt-get install postgresql` on Debian",
    );
  }
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), "cerulean-pg-"));
  const data = join(dir, "data");
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(dir, uid, gid);
  }
  const run = (tool: string, args: string[]) => {
    const command = asRoot ? "runuser" : join(bin, tool);
    const argv = asRoot ? ["-u", "postgres", "--", join(bin, tool), ...args] : args;
    const result = spawnSync(command, argv, { encoding: "utf8", cwd: dir });
    if (result.status !== 0) {
      throw new PostgresServerError(
        `${tool} ${args.join(" ")} failed (exit ${result.status}): ${(result.stderr || result.stdout || String(result.error)).trim()}`,
      );
    }
  };
  let stopped = false;
  const cleanup = () => {
    if (stopped) return;
    stopped = true;
    if (existsSync(join(data, "postmaster.pid"))) {
      const argv = ["-D", data, "-m", "immediate", "-w", "stop"];
      spawnSync(
        asRoot ? "runuser" : join(bin, "pg_ctl"),
        asRoot ? ["-u", "postgres", "--", join(bin, "pg_ctl"), ...argv] : argv,
      );
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // A test runner that exits early must not leave a server behind.
  process.once("exit", cleanup);
  try {
    run("initdb", [
      "-D",
      data,
      "-A",
      "trust",
      "-U",
      "postgres",
      "-E",
      "UTF8",
      "--locale=C",
      "--no-sync",
    ]);
    const port = await freePort();
    const settings = [
      `-p ${port}`,
      "-h 127.0.0.1",
      `-k ${dir}`,
      `-c fsync=${options.fsync ? "on" : "off"}`,
    ];
    if (!options.fsync) settings.push("-c synchronous_commit=off", "-c full_page_writes=off");
    run("pg_ctl", [
      "-D",
      data,
      "-l",
      join(dir, "server.log"),
      "-o",
      settings.join(" "),
      "-w",
      "-t",
      "60",
      "start",
    ]);
    const stop = async () => {
      process.removeListener("exit", cleanup);
      cleanup();
    };
    return {
      connectionString: `postgresql://postgres@127.0.0.1:${port}/postgres`,
      port,
      stop,
      [Symbol.asyncDispose]: stop,
    };
  } catch (err) {
    process.removeListener("exit", cleanup);
    cleanup();
    throw err;
  }
}
