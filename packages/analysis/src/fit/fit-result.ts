/** Why a fit's numbers must not be used. */
export type FitFailureCode =
  /** NaN or infinite values in x, y or yerr, or a yerr < 0. */
  | "invalid-data"
  /** No more points than varied parameters: nothing left to judge the fit by. */
  | "too-few-points"
  /** The minimizer did not reach a minimum within its iteration budget. */
  | "not-converged"
  /** Parameters that cannot be told apart by the data (singular Jacobian). */
  | "singular"
  /** The model describes the data no better than a constant would (F-test). */
  | "not-significant"
  /** A parameter whose uncertainty is as large as the parameter itself. */
  | "undetermined"
  /** The model's own sanity check failed (a peak outside the data, narrower than the sampling). */
  | "implausible";

/** The reason a fit failed, for programs (`code`) and people (`message`). */
export interface FitFailure {
  code: FitFailureCode;
  message: string;
}

/**
 * The outcome of a fit, in lmfit's vocabulary (chisqr, redchi, nfree...). Always check `success`:
 * a failed fit keeps its last parameter values for display only.
 */
export interface FitResult {
  success: boolean;
  failure: FitFailure | null;
  /** failure.message, or "" on success (for tables and documents). */
  reason: string;
  /** The model's name ("gaussian + constant"). */
  model: string;
  /** Best values of every parameter, fixed ones included. */
  params: Record<string, number>;
  /** One-sigma standard errors from the covariance; null for fixed parameters or without covariance. */
  stderr: Record<string, number | null>;
  /** The starting values (guess merged with the caller's `initial`). */
  initial: Record<string, number>;
  /** Derived quantities (fwhm, height) from the best values. */
  derived: Record<string, number>;
  /** The varied parameters, in the order of `covariance`. */
  varied: string[];
  /** Covariance of the varied parameters, scaled by the reduced chi-square (as lmfit's scale_covar). */
  covariance: number[][] | null;
  ndata: number;
  nvarys: number;
  nfree: number;
  chisqr: number;
  redchi: number;
  /** 1 - chisqr / (chi-square of the best constant). */
  rSquared: number;
  /** F statistic and p-value of the model against a constant; null when not computed. */
  fStatistic: number | null;
  pValue: number | null;
  /** Minimizer iterations spent. */
  iterations: number;
  converged: boolean;
}
