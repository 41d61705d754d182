/**
 * Hands out distinct file-name parts for distinct ids: two streams or keys whose names differ
 * only in characters safeFileName replaces ("det:a", "det/a") would otherwise share a file and
 * one would overwrite (or be refused by) the other. The first id keeps the plain name, later
 * ones get `-2`, `-3`... in the order they arrive, so a run's documents always give the same names.
 */
export class UniqueNames {
  private readonly byId = new Map<string, string>();
  private readonly taken = new Set<string>();

  /** The name for `id`: `name` itself unless another id already has it, then `name-2`... */
  claim(id: string, name: string): string {
    const known = this.byId.get(id);
    if (known !== undefined) return known;
    let unique = name;
    for (let n = 2; this.taken.has(unique); n++) unique = `${name}-${n}`;
    this.byId.set(id, unique);
    this.taken.add(unique);
    return unique;
  }
}
