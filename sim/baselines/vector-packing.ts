// Multi-resource (vector) packing heuristics.
import { baseline } from './define.js';

export const tetris = baseline({
  name: 'tetris',
  explain:
    "Tetris (Grandl et al., SIGCOMM 2014): prefers the node whose free resources align best with the task's demand, the dot product of the two vectors normalised by node capacity.",
  score: 'node.alignment',
});

export const l2Norm = baseline({
  name: 'l2-norm',
  explain:
    'Norm-based greedy (Panigrahy et al., 2011): prefers the node whose remaining free vector after placement has the smallest squared L2 norm (CPU and memory fractions).',
  score: '-(node.cpu_free_frac_after ^ 2 + node.mem_free_frac_after ^ 2)',
});

// AlphaEvolve (Novikov et al., 2025, Fig. 6) scores a feasible machine by
//   -(cpu_residual + mem_residual + mem_residual / cpu_residual + cpu_residual / mem_residual)
// with residual = required ÷ free (before placement). Both residuals are floored at 0.001 so the
// ratios stay defined when the task asks for no memory or the node does not model it.
const C = 'max(node.cpu_residual, 0.001)';
const M = 'max(node.mem_residual, 0.001)';

export const alphaEvolveBorg = baseline({
  name: 'alphaevolve-borg',
  explain:
    "The heuristic AlphaEvolve found for Google's Borg: with c and m the shares of the node's free CPU and memory the task would take, prefers the node with the smallest c + m + m/c + c/m, which favours nodes where the task takes little and takes CPU and memory in balance.",
  score: `-(${C} + ${M} + ${M} / ${C} + ${C} / ${M})`,
});
