import { initDevices } from "../core/init-devices.ts";
import type { SignalRW } from "../core/signal-rw.ts";
import { softSignalRW } from "../core/soft-signal.ts";
import { BeamCurrent } from "./beam-current.ts";
import { MockFlyer } from "./mock-flyer.ts";
import { type RandomSource, seededRandom } from "./random.ts";
import { SimImageDetector } from "./sim-image-detector.ts";
import { SimSpectrumDetector } from "./sim-spectrum-detector.ts";
import { SynAxis } from "./syn-axis.ts";
import { Syn2DGauss, SynGauss } from "./syn-gauss.ts";
import { SynPeriodicSignal } from "./syn-periodic-signal.ts";
import { SynSignal } from "./syn-signal.ts";
import { SynSignalWithRegistry } from "./syn-signal-with-registry.ts";
import { TomoDetector } from "./tomo-detector.ts";
import { TrivialFlyer } from "./trivial-flyer.ts";

/** Options of the simulated beamline. */
export interface SimBeamlineOptions {
  /** Folder of the detector files (default "./data/files"). */
  dataDir?: string;
  /** Seeds every random source, so noise repeats from run to run (default: unseeded). */
  seed?: number;
  /** Motor speed, units/s: moves then take time (default: instant, as ophyd.sim). */
  velocity?: number;
  /** Soft limits of motor, motor1, motor2 and motor3 (default: none). */
  limits?: { low: number; high: number };
  /** Connect in mock mode (default false). */
  mock?: boolean;
}

/** The devices of the `sim` profile, named as in ophyd.sim's `hw()`. */
export interface SimBeamline {
  motor: SynAxis;
  motor1: SynAxis;
  motor2: SynAxis;
  motor3: SynAxis;
  /** Readback = setpoint + uniform[0, 1). */
  jittery_motor1: SynAxis;
  jittery_motor2: SynAxis;
  /** Gaussian of `motor`: center 0, Imax 1, sigma 1, uniform noise × 0.1. */
  noisy_det: SynGauss;
  /** Gaussian of `motor`: center 0, Imax 1, sigma 1. */
  det: SynGauss;
  /** Same as det, and also named "det". */
  identical_det: SynGauss;
  /** Gaussian of `motor1`: center 0, Imax 5, sigma 0.5. */
  det1: SynGauss;
  /** Gaussian of `motor2`: center 1, Imax 2, sigma 2. */
  det2: SynGauss;
  /** Gaussian of `motor3`: center −1, Imax 2, sigma 1. */
  det3: SynGauss;
  /** 2-D Gaussian of motor1/motor2: center (0, 0), Imax 1, sigma 1. */
  det4: Syn2DGauss;
  /** 2-D Gaussian of jittery_motor1/2: center (0, 0), Imax 1, sigma 1. */
  det5: Syn2DGauss;
  /** MockFlyer over det and motor, 1 → 5 in 20 points. */
  flyer1: MockFlyer;
  /** MockFlyer over det and motor, 1 → 5 in 10 points. */
  flyer2: MockFlyer;
  trivial_flyer: TrivialFlyer;
  /** 10×10 ones per trigger to HDF5, with Resource/Datum. */
  img: SynSignalWithRegistry;
  /** 24×32 spot images to HDF5 with StreamResource/StreamDatum; intensity follows `motor`. */
  image_det: SimImageDetector;
  /** 64-channel spectrum whose height follows `motor`. */
  spectrum_det: SimSpectrumDetector;
  /** Uniform [0, 1) values, refreshed on trigger and about every second while monitored. */
  rand: SynPeriodicSignal;
  rand2: SynPeriodicSignal;
  /** Storage-ring current, mA (top-up decay; `dump()`/`restore()` for suspender tests). */
  beam_current: BeamCurrent;
  /** A soft signal, 0. */
  sig: SignalRW<number>;
  /** A soft signal, false. */
  bool_sig: SignalRW<boolean>;
  /** A SynSignal named "signal" (value 0). */
  signal: SynSignal<number>;
  /** Rotation stage of the tomography sim, degrees (moves like the other motors, no limits). */
  rot: SynAxis;
  /** Parallel-beam projections (4 rows × 64 pixels) of a 3-D Shepp-Logan-like phantom at `rot`. */
  tomo_det: TomoDetector;
}

/**
 * Builds and connects the simulated beamline (the `sim` profile).
 * @example const { motor, det } = await createSimBeamline({ seed: 1 }); await motor.set(0.5)
 */
export async function createSimBeamline(options: SimBeamlineOptions = {}): Promise<SimBeamline> {
  const { dataDir = "./data/files", seed, velocity, limits } = options;
  let stream = 0;
  const random = (): RandomSource =>
    seed === undefined ? Math.random : seededRandom(seed * 1000 + stream++);
  const axis = (name: string, extra: { readbackFunc?: (x: number) => number } = {}): SynAxis =>
    new SynAxis(name, {
      ...extra,
      ...(velocity === undefined ? {} : { velocity }),
      ...(limits ? { limits } : {}),
    });
  const jitter = (): ((x: number) => number) => {
    const r = random();
    return (x) => x + r();
  };
  const motor = axis("motor");
  const motor1 = axis("motor1");
  const motor2 = axis("motor2");
  const motor3 = axis("motor3");
  const jittery_motor1 = new SynAxis("jittery_motor1", { readbackFunc: jitter() });
  const jittery_motor2 = new SynAxis("jittery_motor2", { readbackFunc: jitter() });
  const gauss = (Imax: number, sigma: number, center: number) => ({ Imax, sigma, center });
  const det = new SynGauss("det", motor, "motor", { ...gauss(1, 1, 0), random: random() });
  const rot = new SynAxis("rot", { egu: "deg", ...(velocity === undefined ? {} : { velocity }) });
  const beamline: SimBeamline = {
    motor,
    motor1,
    motor2,
    motor3,
    jittery_motor1,
    jittery_motor2,
    noisy_det: new SynGauss("noisy_det", motor, "motor", {
      ...gauss(1, 1, 0),
      noise: "uniform",
      noiseMultiplier: 0.1,
      random: random(),
    }),
    det,
    identical_det: new SynGauss("det", motor, "motor", gauss(1, 1, 0)),
    det1: new SynGauss("det1", motor1, "motor1", gauss(5, 0.5, 0)),
    det2: new SynGauss("det2", motor2, "motor2", gauss(2, 2, 1)),
    det3: new SynGauss("det3", motor3, "motor3", gauss(2, 1, -1)),
    det4: new Syn2DGauss("det4", [
      [motor1, "motor1"],
      [motor2, "motor2"],
    ]),
    det5: new Syn2DGauss("det5", [
      [jittery_motor1, "jittery_motor1"],
      [jittery_motor2, "jittery_motor2"],
    ]),
    flyer1: new MockFlyer("flyer1", det, motor, [1, 5, 20]),
    flyer2: new MockFlyer("flyer2", det, motor, [1, 5, 10]),
    trivial_flyer: new TrivialFlyer(),
    img: new SynSignalWithRegistry("img", { dataDir }),
    image_det: new SimImageDetector("image_det", { dataDir, motor, motorField: "motor" }),
    spectrum_det: new SimSpectrumDetector("spectrum_det", { motor, motorField: "motor" }),
    rand: new SynPeriodicSignal("rand", { random: random() }),
    rand2: new SynPeriodicSignal("rand2", { random: random() }),
    beam_current: new BeamCurrent("beam_current"),
    sig: softSignalRW(0, "sig"),
    bool_sig: softSignalRW(false, "bool_sig"),
    signal: new SynSignal(() => 0, "signal"),
    rot,
    tomo_det: new TomoDetector("tomo_det", { motor: rot, motorField: "rot", random: random() }),
  };
  const { flyer1, flyer2, trivial_flyer, ...connectable } = beamline;
  await initDevices(connectable, { mock: options.mock ?? false, setName: false });
  return beamline;
}
