// Runs an agent as its own process against a queue server:
//   node --import tsx packages/analysis/src/adaptive/agent-process.ts \
//     --url http://127.0.0.1:60610 --agent peak --config '{"detector":"det","motor":"motor",...}'
// Prints the agent's report as one JSON line on stdout at the end; exits 1 on failure.
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { Agent } from "./agent.ts";
import { BayesOptAgent, type BayesOptOptions } from "./bayes-opt-agent.ts";
import { AgentConfigurationError } from "./errors.ts";
import { PeakAlignmentAgent, type PeakAlignmentOptions } from "./peak-alignment-agent.ts";
import { runAgentOnQueueServer } from "./queue-server-executor.ts";

/** The agents this entry can start, by kind. */
export const AGENT_KINDS = ["peak", "bayes"] as const;
export type AgentKind = (typeof AGENT_KINDS)[number];

/** Builds an agent of `kind` from its JSON options. */
export function createAgent(kind: string, config: Record<string, unknown>): Agent {
  if (kind === "peak") return new PeakAlignmentAgent(config as unknown as PeakAlignmentOptions);
  if (kind === "bayes") return new BayesOptAgent(config as unknown as BayesOptOptions);
  throw new AgentConfigurationError(
    `unknown agent kind ${JSON.stringify(kind)}; expected one of ${AGENT_KINDS.join(", ")}`,
  );
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: "string", default: "http://127.0.0.1:60610" },
      agent: { type: "string" },
      config: { type: "string", default: "{}" },
      "api-key": { type: "string" },
      "require-approval": { type: "boolean", default: false },
      "no-register": { type: "boolean", default: false },
    },
    strict: true,
  });
  const config = JSON.parse(values.config) as Record<string, unknown>;
  const agent = createAgent(values.agent ?? "", config);
  const summary = await runAgentOnQueueServer(agent, {
    url: values.url,
    ...(values["api-key"] ? { apiKey: values["api-key"] } : {}),
    requireApproval: values["require-approval"],
    register: !values["no-register"],
    onItem: (item, uid) => process.stderr.write(`submitted ${item.name} as ${uid}\n`),
  });
  process.stdout.write(
    `${JSON.stringify({ items: summary.items.length, report: summary.report })}\n`,
  );
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(
        `agent-process: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}\n`,
      );
      process.exit(1);
    },
  );
}
