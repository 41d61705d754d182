// Debian's firefox-esr driven over WebDriver BiDi, the W3C protocol Firefox speaks natively.
// playwright-core's Firefox-over-BiDi needs commands that Firefox ESR 140 lacks, so the few the
// tests need (navigate, evaluate, console log) are spoken directly.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { WebSocket } from "ws";

export const FIREFOX = process.env["FIREFOX_PATH"] ?? "/usr/bin/firefox-esr";
/** How long one BiDi command (a navigation, an evaluation) may take before the test fails. */
const COMMAND_TIMEOUT_MS = 60_000;

interface BidiReply {
  id?: number;
  type: "success" | "error" | "event";
  method?: string;
  result?: Record<string, unknown>;
  params?: Record<string, unknown>;
  error?: string;
  message?: string;
}

/** A headless Firefox with one tab. */
export interface Firefox {
  /** Loads `url` and waits for the load event. */
  navigate(url: string): Promise<void>;
  /** Evaluates a JavaScript expression in the page (promises awaited); returns its JSON value. */
  evaluate(expression: string): Promise<unknown>;
  /** Polls `expression` until it is true (throws after `timeoutMs`, naming it). */
  waitFor(expression: string, timeoutMs?: number): Promise<void>;
  /** Console errors and uncaught exceptions seen in the page. */
  errors: string[];
  close(): Promise<void>;
}

export async function openFirefox(): Promise<Firefox> {
  const profile = mkdtempSync(join(tmpdir(), "cerulean-firefox-"));
  const child = spawn(
    FIREFOX,
    ["--headless", "--remote-debugging-port=0", "--no-remote", "--profile", profile],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  try {
    const url = await bidiUrl(child);
    const socket = new WebSocket(`${url}/session`);
    await new Promise((resolve, reject) => {
      socket.once("open", resolve);
      socket.once("error", reject);
    });
    return await session(socket, child, profile);
  } catch (err) {
    child.kill("SIGKILL");
    rmSync(profile, { recursive: true, force: true });
    throw err;
  }
}

/** The BiDi WebSocket address Firefox prints on stderr once it listens. */
function bidiUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${FIREFOX} did not start in 30 s`)), 30_000);
    child.once("exit", (code) => reject(new Error(`${FIREFOX} exited (code ${code})`)));
    createInterface({ input: child.stderr! }).on("line", (line) => {
      const found = /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(line);
      if (found?.[1]) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
  });
}

async function session(socket: WebSocket, child: ChildProcess, profile: string): Promise<Firefox> {
  let nextId = 1;
  const pending = new Map<number, (reply: BidiReply) => void>();
  const errors: string[] = [];
  socket.on("message", (data) => {
    const reply = JSON.parse(String(data)) as BidiReply;
    if (reply.type === "event" && reply.method === "log.entryAdded") {
      const entry = reply.params as { level?: string; text?: string; type?: string };
      if (entry.level === "error") errors.push(`${entry.type ?? "log"}: ${entry.text ?? ""}`);
    }
    if (reply.id !== undefined) pending.get(reply.id)?.(reply);
  });
  // A command Firefox never answers (it crashed, the socket dropped) fails instead of hanging
  // the test file.
  const failures = new Map<number, (error: Error) => void>();
  socket.on("close", () => {
    for (const fail of failures.values()) fail(new Error("the BiDi socket to Firefox closed"));
  });
  const send = (method: string, params: Record<string, unknown>) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const id = nextId++;
      const settle = () => {
        clearTimeout(timer);
        pending.delete(id);
        failures.delete(id);
      };
      const timer = setTimeout(() => {
        settle();
        reject(new Error(`BiDi ${method}: no reply from Firefox in ${COMMAND_TIMEOUT_MS} ms`));
      }, COMMAND_TIMEOUT_MS);
      failures.set(id, (error) => {
        settle();
        reject(new Error(`BiDi ${method}: ${error.message}`));
      });
      pending.set(id, (reply) => {
        settle();
        if (reply.type === "success") resolve(reply.result ?? {});
        else reject(new Error(`BiDi ${method}: ${reply.error}: ${reply.message}`));
      });
      if (socket.readyState !== socket.OPEN) {
        failures.get(id)?.(new Error("the BiDi socket to Firefox is not open"));
        return;
      }
      socket.send(JSON.stringify({ id, method, params }));
    });

  await send("session.new", { capabilities: {} });
  await send("session.subscribe", { events: ["log.entryAdded"] });
  const tree = (await send("browsingContext.getTree", {})) as { contexts: { context: string }[] };
  const context = tree.contexts[0]?.context;
  if (!context) throw new Error("Firefox opened no tab");

  const evaluate = async (expression: string): Promise<unknown> => {
    const result = (await send("script.evaluate", {
      expression: `(async () => JSON.stringify(await (${expression})))()`,
      target: { context },
      awaitPromise: true,
    })) as { type: string; result?: { value?: string }; exceptionDetails?: { text?: string } };
    if (result.type === "exception") {
      throw new Error(`in the page: ${result.exceptionDetails?.text} (evaluating ${expression})`);
    }
    const text = result.result?.value;
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  };

  return {
    errors,
    evaluate,
    async navigate(url) {
      await send("browsingContext.navigate", { context, url, wait: "complete" });
    },
    async waitFor(expression, timeoutMs = 30_000) {
      const end = Date.now() + timeoutMs;
      while (Date.now() < end) {
        if ((await evaluate(expression)) === true) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`Firefox: still false after ${timeoutMs} ms: ${expression}`);
    },
    async close() {
      await send("session.end", {}).catch(() => {});
      socket.close();
      // An already exited Firefox (crashed mid-test) emits no further "exit".
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
