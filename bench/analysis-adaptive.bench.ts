// Adaptive agents: the cost of one decision. Gaussian-process fits/s (30 points in 2-D, the
// whole hyperparameter grid), the time of one BayesOptAgent proposal (fit + EI over 3,000
// candidates), and one PeakAlignmentAgent decision (fit of 70 points + next scan).
import {
  BayesOptAgent,
  type FinishedRun,
  fitGaussianProcess,
  PeakAlignmentAgent,
  seededUniform,
} from "@cerulean/analysis";
import { cost, quick, rate } from "./harness.ts";

const uniform = seededUniform(3);
const bump = (x: number, y: number) => Math.exp(-((x - 0.8) ** 2 + (y + 1.3) ** 2) / 2);
const points = Array.from({ length: 30 }, () => [uniform() * 6 - 3, uniform() * 6 - 3]);
const values = points.map(([x = 0, y = 0]) => bump(x, y));
const bounds: [number, number][] = [
  [-3, 3],
  [-3, 3],
];
const fits = quick ? 5 : 20;
await rate("analysis.gp_fit_30pts_2d", "fits/s", fits, () => {
  for (let i = 0; i < fits; i++) fitGaussianProcess(points, values, { bounds });
});

function finished(columns: Record<string, number[]>): FinishedRun {
  const n = Object.values(columns)[0]?.length ?? 0;
  return { uid: "u", start: {} as never, stop: {} as never, columns, numEvents: n };
}

await cost("analysis.bayes_opt_propose_30pts", 1, () => {
  const agent = new BayesOptAgent({
    detector: "det4",
    motors: [
      { name: "motor1", bounds: [-3, 3] },
      { name: "motor2", bounds: [-3, 3] },
    ],
  });
  agent.tell(
    finished({
      motor1: points.map((p) => p[0] ?? 0),
      motor2: points.map((p) => p[1] ?? 0),
      det4: values,
    }),
  );
  agent.propose();
});

const xs = Array.from({ length: 70 }, (_, i) => -5 + (10 * i) / 69);
const ys = xs.map((x) => Math.exp(-((x - 1.37) ** 2) / 2) + 0.05 * (uniform() * 2 - 1));
await cost("analysis.peak_agent_decision_70pts", 1, () => {
  const agent = new PeakAlignmentAgent({
    detector: "det",
    motor: "motor",
    bounds: [-5, 5],
    tolerance: 1e-4,
  });
  agent.tell(finished({ motor: xs, det: ys }));
  agent.propose();
});
