// `cerulean queue ...`: a small client of the queue server's HTTP API.
import { parseArgs } from "node:util";
import { QueueServerClient } from "@cerulean/queueserver";
import { CliUsageError } from "../errors.ts";

const HELP = `Usage: cerulean queue <command> [arguments] [options]

  status                         the manager status
  list                           the queue and the running item
  add <plan> [json-args] [json-kwargs]   e.g. add count '[["det"]]' '{"num": 3}'
  start | stop                   start the queue / stop it after the current plan
  pause [--immediate] | resume | abort | halt
  open | close                   open or close the worker environment
  history                        finished items with their exit status

Options:
  --url <url>      server (default http://127.0.0.1:60610 or QSERVER_HTTP_SERVER_URI)
  --api-key <key>  API key (or QSERVER_HTTP_SERVER_API_KEY)
  --immediate      pause at once instead of at the next checkpoint
  -h, --help       show this help`;

export interface QueueCommandOptions {
  print?: (line: string) => void;
}

function parseJson(text: string | undefined, what: string, fallback: unknown): unknown {
  if (text === undefined) return fallback;
  try {
    return JSON.parse(text);
  } catch {
    throw new CliUsageError(`${what} must be JSON, e.g. '[["det"]]'; got ${text}`);
  }
}

/** Runs `cerulean queue`; resolves to the exit code (1 when the server refused). */
export async function runQueue(args: string[], options: QueueCommandOptions = {}): Promise<number> {
  const print = options.print ?? console.log;
  let parsed: ReturnType<
    typeof parseArgs<{
      options: Record<string, { type: "string" | "boolean"; short?: string }>;
      allowPositionals: true;
      strict: true;
    }>
  >;
  try {
    parsed = parseArgs({
      args,
      options: {
        url: { type: "string" },
        "api-key": { type: "string" },
        immediate: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new CliUsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values["help"] || command === undefined) {
    print(HELP);
    return 0;
  }
  const client = new QueueServerClient({
    url: values["url"] as string | undefined,
    apiKey: (values["api-key"] as string | undefined) ?? process.env["QSERVER_HTTP_SERVER_API_KEY"],
  });
  const post = (path: string, body: unknown = {}) => client.post(path, body);
  let reply: Record<string, unknown>;
  switch (command) {
    case "status": {
      const s = await client.get("/api/status");
      for (const key of [
        "manager_state",
        "re_state",
        "items_in_queue",
        "items_in_history",
        "running_item_uid",
        "worker_environment_exists",
        "queue_autostart_enabled",
      ]) {
        print(`${key.padEnd(26)} ${JSON.stringify(s[key])}`);
      }
      return 0;
    }
    case "list": {
      const q = await client.get("/api/queue/get");
      const running = q["running_item"] as { name?: string; item_uid?: string };
      if (running?.name) print(`running  ${running.name}  ${running.item_uid}`);
      const items = q["items"] as {
        name: string;
        args?: unknown[];
        kwargs?: unknown;
        item_uid: string;
      }[];
      for (const [i, item] of items.entries()) {
        print(
          `${String(i).padStart(3)}  ${item.name}${JSON.stringify(item.args ?? [])} ${JSON.stringify(item.kwargs ?? {})}  ${item.item_uid}`,
        );
      }
      if (items.length === 0) print("(the queue is empty)");
      return 0;
    }
    case "history": {
      const h = await client.get("/api/history/get");
      for (const item of h["items"] as {
        name: string;
        item_uid: string;
        result?: { exit_status: string; msg: string };
      }[]) {
        print(
          `${(item.result?.exit_status ?? "?").padEnd(10)} ${item.name}  ${item.item_uid}${item.result?.msg ? `  ${item.result.msg}` : ""}`,
        );
      }
      return 0;
    }
    case "add": {
      const [name, argsText, kwargsText] = rest;
      if (!name)
        throw new CliUsageError(
          "queue add needs a plan name, e.g. add count '[[\"det\"]]' '{\"num\": 3}'",
        );
      const item = {
        item_type: "plan",
        name,
        args: parseJson(argsText, "args", []),
        kwargs: parseJson(kwargsText, "kwargs", {}),
      };
      reply = await post("/api/queue/item/add", { item });
      break;
    }
    case "start":
    case "stop":
      reply = await post(`/api/queue/${command}`);
      break;
    case "pause":
      reply = await post("/api/re/pause", {
        option: values["immediate"] ? "immediate" : "deferred",
      });
      break;
    case "resume":
    case "abort":
    case "halt":
      reply = await post(`/api/re/${command}`);
      break;
    case "open":
    case "close":
      reply = await post(`/api/environment/${command}`);
      break;
    default:
      throw new CliUsageError(
        `unknown queue command "${command}"; expected status, list, add, start, stop, pause, resume, abort, halt, open, close or history`,
      );
  }
  if (reply["success"] !== true) {
    print(`refused: ${String(reply["msg"])}`);
    return 1;
  }
  const item = reply["item"] as { item_uid?: string } | undefined;
  print(item?.item_uid ? `ok (item ${item.item_uid}, queue size ${String(reply["qsize"])})` : "ok");
  return 0;
}

/** The `queue` entry of the command table. */
export const queueCommand = {
  summary: "control a queue server: status, add, start, stop, pause, resume, history",
  run: (args: string[]) => runQueue(args),
};
