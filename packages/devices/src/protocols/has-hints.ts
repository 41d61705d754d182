/** Which data keys of a device matter most (what plots and tables show). */
export interface DeviceHints {
  fields?: string[];
}

/** Offers hints, recorded in descriptors as `hints: {name: hints}`. */
export interface HasHints {
  readonly hints: DeviceHints;
}
