// Independent readers of the files: Debian's tiffinfo (libtiff-tools) and h5dump (hdf5-tools).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";

function run(tool: string, pkg: string, args: string[]): string {
  const result = spawnSync(tool, args, {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    timeout: 60_000, // a sync call blocks the test runner's timeout: a hung tool must end itself
  });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === "ENOENT") {
    assert.fail(
      `${tool} is not installed; these tests check the files with it: apt-get install -y ${pkg}`,
    );
  }
  assert.equal(result.signal, null, `${tool} ${args.join(" ")} was killed (${result.signal})`);
  assert.equal(result.status, 0, `${tool} ${args.join(" ")} failed:\n${result.stderr}`);
  return `${result.stdout}${result.stderr}`;
}

/** tiffinfo's report; fails on any error or warning from libtiff. */
export function tiffinfo(path: string): string {
  const out = run("tiffinfo", "libtiff-tools", [path]);
  assert.doesNotMatch(
    out,
    /warning|error|unknown field|bad value/i,
    `libtiff complained about ${path}:\n${out}`,
  );
  return out;
}

/** h5dump's output for `args` (e.g. ["-H", file]); fails if h5dump reports an error. */
export function h5dump(...args: string[]): string {
  const out = run("h5dump", "hdf5-tools", args);
  assert.doesNotMatch(out, /h5dump error|unable to open|HDF5-DIAG/i, `h5dump complained:\n${out}`);
  return out;
}

/** The pixel bytes of each page as libtiff reads them (`tiffinfo -d`), strips concatenated. */
export function tiffPageBytes(path: string): Uint8Array[] {
  const out = run("tiffinfo", "libtiff-tools", ["-d", path]);
  return out
    .split(/=== TIFF directory \d+ ===/)
    .slice(1)
    .map((section) => {
      const hex = section
        .split(/Strip \d+:\n/)
        .slice(1)
        .join(" ")
        .match(/\b[0-9a-f]{2}\b/g);
      return Uint8Array.from(hex ?? [], (h) => Number.parseInt(h, 16));
    });
}
