// @cerulean/devices/sim: the simulated beamline (ophyd.sim's devices and formulas).
export { BeamCurrent, type BeamCurrentOptions } from "./beam-current.ts";
export { addNoise, gaussian, gaussian2d, type Noise } from "./gaussian.ts";
export {
  Hdf5FrameWriter,
  type Hdf5FrameWriterOptions,
  readHdf5Dataset,
} from "./hdf5-frame-writer.ts";
export { Hdf5StreamWriter, type Hdf5StreamWriterOptions } from "./hdf5-stream-writer.ts";
export { frameSum, type SpotGeometry, spotFrame } from "./image-frame.ts";
export { linspace, MockFlyer, type MockFlyerOptions } from "./mock-flyer.ts";
export { normal, poisson, type RandomSource, seededRandom } from "./random.ts";
export { createSimBeamline, type SimBeamline, type SimBeamlineOptions } from "./sim-beamline.ts";
export {
  type ImagePrepareValue,
  SimImageDetector,
  type SimImageDetectorOptions,
} from "./sim-image-detector.ts";
export { SimSpectrumDetector, type SimSpectrumOptions } from "./sim-spectrum-detector.ts";
export { SynAxis, type SynAxisOptions } from "./syn-axis.ts";
export { type GaussOptions, Syn2DGauss, SynGauss } from "./syn-gauss.ts";
export { type SynPeriodicOptions, SynPeriodicSignal } from "./syn-periodic-signal.ts";
export { SynSignal, type SynSignalOptions } from "./syn-signal.ts";
export {
  SynSignalWithRegistry,
  type SynSignalWithRegistryOptions,
} from "./syn-signal-with-registry.ts";
export { TomoDetector, type TomoDetectorOptions } from "./tomo-detector.ts";
export {
  type Ellipsoid,
  sheppLogan3d,
  TomoPhantom,
  type TomoPhantomOptions,
} from "./tomo-phantom.ts";
export { TrivialFlyer } from "./trivial-flyer.ts";
