// The queue-server profile of the adaptive tests: the sim beamline with seeded noise, its peaks
// moved off zero (noisy_det at 1.37, det4 at (0.8, -1.3)), and scan/list_scan for the agents.
import { createSimBeamline } from "@cerulean/devices/sim";
import { bp, type PlanLike } from "@cerulean/engine";
import type { Environment, ParamSpec, PlanSpec, Profile } from "@cerulean/queueserver";
import { simPlans } from "@cerulean/queueserver";

export const NOISY_DET_CENTER = 1.37;
export const DET4_CENTER: [number, number] = [0.8, -1.3];

type Scan = (detectors: readonly unknown[], ...rest: unknown[]) => PlanLike;

function stepScan(plan: Scan, description: string): PlanSpec {
  const parameters: ParamSpec[] = [
    { name: "detectors", type: "list[__READABLE__]" },
    { name: "args", kind: "VAR_POSITIONAL", description: "motor, positions..." },
    { name: "md", kind: "KEYWORD_ONLY", type: "dict | None", default: null },
  ];
  return {
    description,
    parameters,
    build: ([dets, ...args], kwargs) =>
      plan(dets as unknown[], ...args, kwargs["md"] ? { md: kwargs["md"] } : {}),
  };
}

export const profile: Profile = {
  name: "adaptive-test",
  async open(options): Promise<Environment> {
    const beamline = await createSimBeamline({ seed: 1, dataDir: `${options.dataDir}/files` });
    await beamline.noisy_det.center.set(NOISY_DET_CENTER);
    await beamline.det4.center.set(DET4_CENTER);
    return {
      devices: { ...beamline },
      plans: {
        ...simPlans(),
        scan: stepScan(bp.scan as Scan, "Scan over one multi-motor trajectory."),
        list_scan: stepScan(bp.list_scan as Scan, "Scan over lists of positions (zipped)."),
      },
    };
  },
};
