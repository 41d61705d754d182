// Errors of the adaptive agents (kept beside them; they extend the package's AnalysisError).
import { AnalysisError } from "../errors.ts";

/** An agent configured wrongly (bad bounds, a tolerance that is not positive, unknown kind). */
export class AgentConfigurationError extends AnalysisError {
  override name = "AgentConfigurationError";
}

/** A proposed queue item outside the agent's declared limits (plan, motor range, runs, time). */
export class AgentLimitError extends AnalysisError {
  override name = "AgentLimitError";
}

/** A plan run on the agent's behalf did not complete (failed, aborted, denied, timed out). */
export class AgentRunError extends AnalysisError {
  override name = "AgentRunError";
}

/** The queue server refused or did not answer a request of the agent. */
export class QueueServerRequestError extends AnalysisError {
  override name = "QueueServerRequestError";
  /** The HTTP status of the reply, or undefined when no reply came (timeout, connection reset). */
  readonly status: number | undefined;

  constructor(message: string, options: { cause?: unknown; status?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status;
  }

  /** True when trying again may succeed: no reply, a server error (5xx) or 429. */
  get transient(): boolean {
    return this.status === undefined || this.status >= 500 || this.status === 429;
  }
}
