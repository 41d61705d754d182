// Finds a profile by name (`sim`) or by module path (a module exporting `profile`).
import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ProfileError } from "../errors.ts";
import type { Profile } from "./profile.ts";
import { simProfile } from "./sim-profile.ts";

export async function loadProfile(spec: string): Promise<Profile> {
  if (spec === "sim") return simProfile;
  const path = isAbsolute(spec) ? spec : resolve(spec);
  let mod: { profile?: Profile };
  try {
    mod = (await import(pathToFileURL(path).href)) as { profile?: Profile };
  } catch (err) {
    throw new ProfileError(`cannot load profile module '${path}': ${(err as Error).message}`, {
      cause: err,
    });
  }
  if (typeof mod.profile?.open !== "function") {
    throw new ProfileError(`profile module '${path}' must export 'profile' with an open() method`);
  }
  return mod.profile;
}
