// The Kaiser window's Bessel function, shared by the resampler and the true-peak interpolator.

/** Modified Bessel function of the first kind, order 0 (power series; converges fast for window betas). */
export function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 50; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}
