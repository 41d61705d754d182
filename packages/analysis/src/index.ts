export { AdaptiveAgent, type Agent } from "./adaptive/agent.ts";
export { AGENT_KINDS, type AgentKind, createAgent } from "./adaptive/agent-process.ts";
export {
  BayesOptAgent,
  type BayesOptBest,
  type BayesOptMotor,
  type BayesOptOptions,
} from "./adaptive/bayes-opt-agent.ts";
export { checkItemLimits, motorTargets } from "./adaptive/check-limits.ts";
export {
  AgentConfigurationError,
  AgentLimitError,
  AgentRunError,
  QueueServerRequestError,
} from "./adaptive/errors.ts";
export {
  expectedImprovement,
  normalCdf,
  normalPdf,
} from "./adaptive/expected-improvement.ts";
export { type FinishedRun, RunCollector } from "./adaptive/finished-run.ts";
export {
  fitGaussianProcess,
  GaussianProcess,
  type GaussianProcessOptions,
  type GpHyperparameters,
  type GpPrediction,
} from "./adaptive/gaussian-process.ts";
export {
  type AgentRunSummary,
  type InProcessOptions,
  type PlanFunction,
  type RunEngineLike,
  runAgentInProcess,
} from "./adaptive/in-process-executor.ts";
export {
  gaussianOnBackground,
  PeakAlignmentAgent,
  type PeakAlignmentOptions,
  type PeakEstimate,
  type PeakStep,
} from "./adaptive/peak-alignment-agent.ts";
export { type AgentLimits, planItem, type QueueItem } from "./adaptive/queue-item.ts";
export { AgentQueueClient, type AgentQueueClientOptions } from "./adaptive/queue-server-client.ts";
export {
  type QueueServerExecutorOptions,
  runAgentOnQueueServer,
  SUBMISSION_TAG,
} from "./adaptive/queue-server-executor.ts";
export { latinHypercube, normalDeviate, seededUniform } from "./adaptive/seeded-random.ts";
export {
  AnalysisError,
  AnalysisInputError,
  ModelDefinitionError,
  NoResultError,
} from "./errors.ts";
export { type FitOptions, fit } from "./fit/fit.ts";
export type { FitFailure, FitFailureCode, FitResult } from "./fit/fit-result.ts";
export { cholesky, choleskySolve, invertSymmetric, type Matrix } from "./linear-algebra.ts";
export { composite } from "./models/composite.ts";
export { exponential } from "./models/exponential.ts";
export {
  extent,
  fitLine,
  guessPeak,
  median,
  medianSpacing,
  type PeakGuess,
} from "./models/guess.ts";
export {
  type BoundFunction,
  type BoundGradient,
  type DataSummary,
  defineModel,
  evaluateModel,
  type Model,
  type ModelOptions,
  type ModelSpec,
  type ParameterInfo,
  type ParamRole,
} from "./models/model.ts";
export { GAUSSIAN_FWHM_FACTOR, gaussian, lorentzian } from "./models/peaks.ts";
export { constant, linear, quadratic } from "./models/polynomial.ts";
export { step } from "./models/step.ts";
export { pseudoVoigt, voigt } from "./models/voigt.ts";
export {
  derivativePeakStats,
  type PeakStatsOptions,
  type PeakStatsResult,
  peakStats,
  type XY,
} from "./peak-stats.ts";
export { type PeakTarget, peakTargetPosition } from "./peak-target.ts";
export { erf, erfc } from "./special/erf.ts";
export { fDistributionSf, logGamma, regularizedBeta } from "./special/f-distribution.ts";
export { type Complex, faddeeva } from "./special/faddeeva.ts";
export {
  type ImageLike,
  normalizedCrossCorrelation,
  reconstructionCircle,
  rootMeanSquareError,
} from "./tomography/image-similarity.ts";
export { filterRow, RAMP_FILTERS, type RampFilter, rampKernel } from "./tomography/ramp-filter.ts";
export {
  type Projection,
  StreamingFbp,
  type StreamingFbpOptions,
} from "./tomography/streaming-fbp.ts";
export {
  StreamingFbpCallback,
  type StreamingFbpCallbackOptions,
} from "./tomography/streaming-fbp-callback.ts";
