// What the decomposition suites check of a result.
import { matmul, type Tensor } from '../../engine';

/** max |QᵀQ − I| of a factor with orthonormal columns. */
export function orthogonalityError(u: Tensor): number {
  const g = matmul(u, u, { transA: true });
  const r = u.shape[1]!;
  let worst = 0;
  for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) worst = Math.max(worst, Math.abs(g.data[i * r + j]! - (i === j ? 1 : 0)));
  return worst;
}
