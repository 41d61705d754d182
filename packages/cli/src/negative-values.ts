// `--seed -5`: parseArgs takes "-5" for an option and refuses it as ambiguous; numbers are meant.

const NEGATIVE_NUMBER = /^-(\d|\.\d)/;

/** Joins `--name -5` into `--name=-5` for the numeric options `names`. */
export function joinNegativeValues(args: readonly string[], names: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const next = args[i + 1];
    if (names.includes(arg.replace(/^--/, "")) && arg.startsWith("--") && next !== undefined) {
      if (NEGATIVE_NUMBER.test(next)) {
        out.push(`${arg}=${next}`);
        i++;
        continue;
      }
    }
    out.push(arg);
  }
  return out;
}
