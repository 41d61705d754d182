/** Anything with a name: devices, signals, flyers. The name prefixes every data key it reads. */
export interface HasName {
  /** The full name, e.g. `motor1` or `det_stats_total` (`parent_child` naming). */
  readonly name: string;
}

/** Anything that knows the device it belongs to (`undefined` at the root of a tree). */
export interface HasParent {
  readonly parent: HasName | undefined;
}
