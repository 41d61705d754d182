// The sim beamline as PVs: what `cerulean ioc` serves.
import type { SignalR } from "@cerulean/devices";
import type { SimBeamline } from "@cerulean/devices/sim";
import {
  serveCamera,
  serveDetector,
  serveMotor,
  serveSignal,
  type Unserve,
} from "./serve-devices.ts";
import type { SoftIoc } from "./soft-ioc.ts";

/** The PV names `serveSimBeamline` creates, by kind, for documentation and tests. */
export interface SimPvNames {
  motors: string[];
  detectors: string[];
  signals: string[];
  cameras: string[];
}

const MOTORS = ["motor", "motor1", "motor2", "motor3", "jittery_motor1", "jittery_motor2"] as const;
const DETECTORS = ["det", "noisy_det", "det1", "det2", "det3", "det4", "det5"] as const;
const SIGNALS = ["rand", "rand2", "beam_current", "sig", "bool_sig"] as const;

/**
 * Serves the sim beamline's devices: motors as motor records (`SIM:motor.VAL`, `.RBV`,
 * `.DMOV`...), Gaussian detectors as processed records (`SIM:det`, `SIM:det.PROC`,
 * `SIM:det:Imax`...), soft signals as PVs (`SIM:sig`), `image_det` as an areaDetector-style
 * camera (`SIM:image_det:cam1:Acquire`...). Returns the names and a function that stops
 * following the devices.
 */
export async function serveSimBeamline(
  ioc: SoftIoc,
  beamline: SimBeamline,
  prefix = "SIM:",
): Promise<{ names: SimPvNames; unserve: Unserve }> {
  const stops: Unserve[] = [];
  const names: SimPvNames = { motors: [], detectors: [], signals: [], cameras: [] };
  for (const key of MOTORS) {
    stops.push(await serveMotor(ioc, `${prefix}${key}`, beamline[key]));
    names.motors.push(`${prefix}${key}`);
  }
  for (const key of DETECTORS) {
    await serveDetector(ioc, `${prefix}${key}`, beamline[key]);
    names.detectors.push(`${prefix}${key}`);
  }
  for (const key of SIGNALS) {
    const signal: SignalR<unknown> = beamline[key] as SignalR<unknown>;
    stops.push(await serveSignal(ioc, `${prefix}${key}`, signal));
    names.signals.push(`${prefix}${key}`);
  }
  // The camera images the sim image detector's spot, its intensity following `motor`
  // (center 0, Imax 1000, sigma 1, as the sim detector's defaults).
  // Loaded here, not at the top: importing @cerulean/epics must not load the simulation.
  const { gaussian, spotFrame } = await import("@cerulean/devices/sim");
  const camera = `${prefix}image_det:`;
  serveCamera(ioc, camera, {
    shape: beamline.image_det.geometry.shape,
    acquire: async () => {
      const position = await beamline.motor.readback.getValue();
      return spotFrame(gaussian(position, 0, 1000, 1), beamline.image_det.geometry);
    },
  });
  names.cameras.push(camera);
  return {
    names,
    unserve: () => {
      for (const stop of stops) stop();
    },
  };
}
