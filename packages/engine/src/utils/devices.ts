// Device-tree helpers used by plans: devices are grouped by their `parent` links.

function parentOf(obj: unknown): unknown {
  return (obj as { parent?: unknown } | null)?.parent;
}

/** The top of the device tree `obj` belongs to. */
export function root_ancestor(obj: unknown): unknown {
  let current = obj;
  for (
    let parent = parentOf(current);
    parent !== undefined && parent !== null;
    parent = parentOf(current)
  ) {
    current = parent;
  }
  return current;
}

function isAncestor(candidate: unknown, obj: unknown): boolean {
  for (
    let parent = parentOf(obj);
    parent !== undefined && parent !== null;
    parent = parentOf(parent)
  ) {
    if (parent === candidate) return true;
  }
  return false;
}

/** The devices without duplicates and without those whose ancestor is also listed (order kept). */
export function separate_devices(devices: Iterable<unknown>): unknown[] {
  const unique = [...new Set(devices)];
  if (unique.length === 1) return unique;
  return unique.filter((obj) => !unique.some((other) => other !== obj && isAncestor(other, obj)));
}
