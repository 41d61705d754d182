// A real pseudo-terminal for tests: a detached tmux session on a private socket, driven with
// send-keys and read with capture-pane. Waits poll the screen until a deadline.
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";

/** One tmux server running one command in a 160×50 window. */
export class TmuxTerminal {
  /** A socket of its own (tmux -S), in the test's directory: no other tmux server is touched. */
  readonly socket: string;
  #started = false;

  constructor(socketDir: string) {
    this.socket = join(socketDir, `tmux-${randomUUID().slice(0, 8)}.sock`);
  }

  #tmux(args: string[]): string {
    // A sync call blocks the test runner's own timeout, so a stuck tmux must end by itself.
    return execFileSync("tmux", ["-S", this.socket, ...args], {
      encoding: "utf8",
      timeout: 30_000,
    });
  }

  /** Starts `command` (a shell line) in `cwd` with `env` added. */
  start(command: string, options: { cwd: string; env?: Record<string, string> }): void {
    const env = Object.entries(options.env ?? {}).flatMap(([k, v]) => ["-e", `${k}=${v}`]);
    this.#tmux([
      "new-session",
      "-d",
      "-s",
      "t",
      "-x",
      "160",
      "-y",
      "50",
      "-c",
      options.cwd,
      ...env,
      command,
    ]);
    this.#started = true;
    this.#tmux(["set-option", "-t", "t", "history-limit", "5000"]);
  }

  /** Sends keys: text literally, or key names (Enter, Tab, C-c, Up) when `keys` is true. */
  send(text: string, keys = false): void {
    this.#tmux(["send-keys", "-t", "t", ...(keys ? [] : ["-l"]), text]);
  }

  /** Types a line and presses Enter. */
  line(text: string): void {
    this.send(text);
    this.send("Enter", true);
  }

  /** The whole screen and scroll-back, wrapped lines joined. */
  screen(): string {
    return this.#tmux(["capture-pane", "-p", "-J", "-S", "-5000", "-t", "t"]);
  }

  /** Polls the screen until `ok` holds; fails after `timeoutMs` showing the screen. */
  async waitFor(
    what: string,
    ok: (screen: string) => boolean,
    timeoutMs = 30_000,
  ): Promise<string> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (ok(screen)) return screen;
      if (Date.now() > end) {
        throw new Error(`timed out waiting for ${what}; the terminal shows:\n${screen}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Waits for `text` to appear at least `times` times. */
  waitForText(text: string, times = 1, timeoutMs?: number): Promise<string> {
    return this.waitFor(
      `${JSON.stringify(text)}${times > 1 ? ` ×${times}` : ""}`,
      (s) => s.split(text).length - 1 >= times,
      timeoutMs,
    );
  }

  /** Stops the tmux server and everything in it. */
  kill(): void {
    if (!this.#started) return;
    this.#started = false;
    try {
      this.#tmux(["kill-server"]);
    } catch {
      // Already gone (the command ended and the server with it).
    }
    rmSync(this.socket, { force: true });
  }
}
