// `cerulean proxy`: the ZeroMQ document proxy, a drop-in for bluesky's `bluesky-0MQ-proxy`.
// RunEngines (Python Publisher or ours) connect to the input port, consumers (RemoteDispatcher
// or ours) to the output port; frames are forwarded unchanged.
import { parseArgs } from "node:util";
import type { ZmqProxy } from "@cerulean/bus";
import { CliUsageError } from "../errors.ts";
import { waitForStop } from "../wait-for-stop.ts";

const HELP = `Usage: cerulean proxy <in_port> <out_port> [options]

Starts a ZeroMQ proxy for publishing documents over a network, like bluesky-0MQ-proxy:
publishers (bluesky.callbacks.zmq.Publisher, Cerulean's ZmqPublisher) connect to in_port,
subscribers (RemoteDispatcher, ZmqSubscriber) to out_port. Port 0 picks a free port.
Runs until interrupted (Ctrl-C).

Options:
  --host <address>     interface to bind (default 127.0.0.1; 0.0.0.0 for every interface)
  --format <f>         how document bodies are encoded, for -v: msgpack (default) or json
  -v, --verbose        show start and stop documents (-vvv: every document)
  -h, --help           show this help`;

export interface ProxyRunOptions {
  /** Stops the proxy when aborted (default: SIGINT / SIGTERM). */
  signal?: AbortSignal;
  /** Output lines (default console.log). */
  print?: (line: string) => void;
  /** Called once the proxy is bound (tests use it to find random ports). */
  onReady?: (proxy: ZmqProxy) => void;
}

function port(name: string, text: string | undefined): number {
  const n = Number(text);
  if (text === undefined || !Number.isInteger(n) || n < 0 || n > 65535) {
    throw new CliUsageError(
      `${name} ${JSON.stringify(text ?? "")} is not a port number (expected 0..65535); usage: cerulean proxy <in_port> <out_port>`,
    );
  }
  return n;
}

/** Runs `cerulean proxy` with `args`; resolves to the exit code once stopped. */
export async function runProxy(args: string[], options: ProxyRunOptions = {}): Promise<number> {
  const print = options.print ?? ((line: string) => console.log(line));
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    print(HELP);
    return 0;
  }
  if (positionals.length !== 2) {
    throw new CliUsageError(
      `expected <in_port> <out_port>, got ${positionals.length} argument${positionals.length === 1 ? "" : "s"}`,
    );
  }
  const inPort = port("in_port", positionals[0]);
  const outPort = port("out_port", positionals[1]);
  const format = values.format ?? "msgpack";
  if (format !== "msgpack" && format !== "json") {
    throw new CliUsageError(`--format ${format} is not msgpack or json`);
  }
  const host = values.host ?? "127.0.0.1";
  const verbosity = values.verbose?.length ?? 0;
  const { decodeBlueskyFrame, decodeBody, startZmqProxy } = await import("@cerulean/bus");
  const at = (p: number) => `tcp://${host.includes(":") ? `[${host}]` : host}:${p === 0 ? "*" : p}`;
  const describeFrame = (frame: Buffer): void => {
    try {
      const { prefix, name, body } = decodeBlueskyFrame(frame);
      if (verbosity < 3 && name !== "start" && name !== "stop") return;
      const doc = decodeBody(body, format) as Record<string, unknown>;
      const from = prefix.length > 0 ? `[${Buffer.from(prefix).toString()}] ` : "";
      const detail =
        name === "start"
          ? `uid=${String(doc["uid"])} plan_name=${String(doc["plan_name"] ?? "")} scan_id=${String(doc["scan_id"] ?? "")}`
          : name === "stop"
            ? `run_start=${String(doc["run_start"])} exit_status=${String(doc["exit_status"])}`
            : JSON.stringify(doc).slice(0, 120);
      print(`${from}${name}: ${detail}`);
    } catch (error) {
      print(
        `undecodable frame of ${frame.length} bytes: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  };
  const proxy = await startZmqProxy({
    inAddress: at(inPort),
    outAddress: at(outPort),
    ...(verbosity > 0 ? { onFrame: describeFrame } : {}),
  });
  print(`Receiving on port ${proxy.inPort}; publishing to port ${proxy.outPort}.`);
  print("Use Ctrl+C to exit.");
  options.onReady?.(proxy);
  await Promise.race([waitForStop(options.signal), proxy.done]);
  await proxy.close();
  if (proxy.failure) {
    print(`cerulean proxy: ${proxy.failure.message}`);
    return 1;
  }
  print("Interrupted. Exiting...");
  return 0;
}

function parse(args: string[]) {
  return parseArgs({
    args,
    options: {
      host: { type: "string" },
      format: { type: "string" },
      verbose: { type: "boolean", short: "v", multiple: true },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: true,
  });
}

/** The `proxy` entry of the command table. */
export const proxyCommand = {
  summary: "ZeroMQ document proxy, like bluesky-0MQ-proxy (in_port -> out_port)",
  run: (args: string[]) => runProxy(args),
};
