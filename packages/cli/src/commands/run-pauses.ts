// What `cerulean run` does when its plan pauses: asks, on the terminal, how to go on.
import { createInterface } from "node:readline/promises";
import type { RunEngineResult, RunEngine as RunEngineType } from "@cerulean/engine";

/** Asks what to do after a pause; `signal` aborts the question (the run is ending anyway). */
export type AskAfterPause = (signal: AbortSignal) => Promise<string>;

/** The question asked at a pause. */
export const PAUSE_QUESTION = "Paused. [r]esume, [s]top, [a]bort or [h]alt? ";

/**
 * How long after the question appears a Ctrl-C is taken as one meant for the pause: 1 s, or
 * CERULEAN_PAUSE_GRACE_MS (a terminal test on a loaded machine needs longer).
 */
function ctrlCGraceMs(): number {
  const given = Number(process.env["CERULEAN_PAUSE_GRACE_MS"]);
  return Number.isFinite(given) && given >= 0 ? given : 1000;
}

/**
 * Asks on the terminal. A Ctrl-C within a second of the question was meant for the pause (the
 * second press of "twice pauses at once") and is ignored; a later one aborts, as does the end
 * of the input. Without a terminal there is no one to ask: abort.
 */
export async function askOnTerminal(signal: AbortSignal): Promise<string> {
  if (!process.stdin.isTTY) return "abort";
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const asked = new AbortController();
  const shownAt = Date.now();
  const grace = ctrlCGraceMs();
  let answer = "abort";
  rl.on("SIGINT", () => {
    if (Date.now() - shownAt < grace) return;
    asked.abort();
  });
  // Ctrl-D: nothing more can be asked.
  rl.on("close", () => asked.abort());
  const ended = () => asked.abort();
  signal.addEventListener("abort", ended, { once: true });
  try {
    answer = await rl.question(PAUSE_QUESTION, { signal: asked.signal });
  } catch (err) {
    if (!asked.signal.aborted) throw err;
    process.stdout.write("\n");
  } finally {
    signal.removeEventListener("abort", ended);
    rl.close();
  }
  return answer;
}

/** Whether `answer` is one of the choices; empty or unknown answers are asked again. */
function choiceOf(answer: string): "r" | "s" | "a" | "h" | undefined {
  const word = answer.trim().toLowerCase();
  for (const [letter, full] of [
    ["r", "resume"],
    ["s", "stop"],
    ["a", "abort"],
    ["h", "halt"],
  ] as const) {
    if (word === letter || word === full) return letter;
  }
  return undefined;
}

/** A run being ended from outside (SIGTERM): `signal` aborts, `result` is the abort's. */
export interface RunEnding {
  signal: AbortSignal;
  result: () => Promise<RunEngineResult> | undefined;
}

/** Drives a call through pauses: asks what to do each time it pauses, until a valid answer. */
export async function runThroughPauses(
  RE: RunEngineType,
  first: Promise<RunEngineResult>,
  ask: AskAfterPause,
  print: (line: string) => void,
  ending: RunEnding,
): Promise<RunEngineResult> {
  let pending = first;
  for (;;) {
    try {
      return await pending;
    } catch (err) {
      if ((err as Error).name !== "RunEngineInterrupted") throw err;
    }
    let choice: ReturnType<typeof choiceOf>;
    for (;;) {
      const ended = ending.result();
      if (ended) return await ended;
      const answer = await ask(ending.signal);
      const endedMeanwhile = ending.result();
      if (endedMeanwhile) return await endedMeanwhile;
      choice = choiceOf(answer);
      if (choice !== undefined) break;
      print(`cerulean run: "${answer.trim()}" is not an option; answer r, s, a or h`);
    }
    if (choice === "r") pending = RE.resume();
    else if (choice === "s") return RE.stop();
    else if (choice === "h") return RE.halt();
    else return RE.abort("interrupted from the terminal");
  }
}
