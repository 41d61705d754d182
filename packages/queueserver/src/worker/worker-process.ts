// The manager's handle on the worker child process: fork, calls with timeouts, kill.
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { WorkerError, WorkerTimeoutError } from "../errors.ts";
import {
  type DocumentAck,
  WORKER_ENV,
  type WorkerCall,
  type WorkerMessage,
  type WorkerMethod,
} from "./protocol.ts";

const WORKER_MAIN = fileURLToPath(new URL("./worker-main.ts", import.meta.url));

function tsxLoader(): string {
  try {
    return import.meta.resolve("tsx");
  } catch {
    return "tsx";
  }
}

export interface WorkerProcessOptions {
  profile: string;
  dataDir: string;
  onMessage: (message: WorkerMessage) => void;
  /** Text the worker writes to stdout/stderr. */
  onOutput: (text: string) => void;
  onExit: (code: number | null, signal: string | null) => void;
}

/** A running worker process. */
export class WorkerProcess {
  readonly #child: ChildProcess;
  readonly #pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();
  #nextId = 1;
  #exited = false;
  readonly #exit: Promise<void>;

  constructor(options: WorkerProcessOptions) {
    this.#child = fork(WORKER_MAIN, [], {
      execArgv: ["--import", tsxLoader()],
      silent: true,
      serialization: "advanced",
      env: {
        ...process.env,
        [WORKER_ENV.profile]: options.profile,
        [WORKER_ENV.dataDir]: options.dataDir,
      },
    });
    this.#child.stdout?.setEncoding("utf8").on("data", (t: string) => options.onOutput(t));
    this.#child.stderr?.setEncoding("utf8").on("data", (t: string) => options.onOutput(t));
    this.#child.on("message", (raw) => {
      const message = raw as WorkerMessage;
      if (message.type === "reply") {
        const pending = this.#pending.get(message.id);
        this.#pending.delete(message.id);
        if (message.ok) pending?.resolve(message.result);
        else pending?.reject(new WorkerError(message.error ?? "the worker refused the request"));
        return;
      }
      options.onMessage(message);
    });
    this.#exit = new Promise((resolve) => {
      this.#child.on("exit", (code, signal) => {
        this.#exited = true;
        for (const p of this.#pending.values())
          p.reject(new WorkerError("the RE Worker process exited"));
        this.#pending.clear();
        options.onExit(code, signal);
        resolve();
      });
    });
    this.#child.on("error", () => {});
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  get alive(): boolean {
    return !this.#exited;
  }

  /** Calls a worker method; rejects on refusal, exit or after `timeoutMs`. */
  call(
    method: WorkerMethod,
    params: WorkerCall["params"] = {},
    timeoutMs = 5000,
  ): Promise<unknown> {
    if (this.#exited)
      return Promise.reject(new WorkerError("the RE Worker process is not running"));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(
          new WorkerTimeoutError(`the RE Worker did not answer '${method}' within ${timeoutMs} ms`),
        );
      }, timeoutMs);
      this.#pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      try {
        this.#child.send({ type: "call", id, method, params } satisfies WorkerCall);
      } catch (err) {
        clearTimeout(timer);
        this.#pending.delete(id);
        reject(new WorkerError(`cannot reach the RE Worker: ${(err as Error).message}`));
      }
    });
  }

  /** Confirms to the worker that its documents up to `ack` were handled (flow control). */
  confirmDocuments(ack: number): void {
    if (this.#exited) return;
    try {
      this.#child.send({ type: "document_ack", ack } satisfies DocumentAck);
    } catch {
      // The worker is going away; its exit is reported on its own.
    }
  }

  /** Kills the process (SIGKILL) and waits until it is gone. */
  async kill(): Promise<void> {
    if (!this.#exited) this.#child.kill("SIGKILL");
    await this.#exit;
  }

  /** Asks the worker to close; kills it if it has not exited within `timeoutMs`. */
  async close(timeoutMs = 5000): Promise<void> {
    this.call("close", {}, timeoutMs).catch(() => {});
    const timer = setTimeout(() => this.#child.kill("SIGKILL"), timeoutMs);
    await this.#exit;
    clearTimeout(timer);
  }

  /** Resolves when the process has exited. */
  get exited(): Promise<void> {
    return this.#exit;
  }
}
