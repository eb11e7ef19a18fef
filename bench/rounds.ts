/** Timing helpers shared by the bench/ scripts: alternating rounds, medians, ratios. */

export const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/**
 * Runs every case once per round, alternating the order each round so that neither side always runs
 * first (warmer caches, a quieter machine); returns the seconds of each run per case.
 */
export async function alternatingRounds(
  cases: Readonly<Record<string, () => Promise<unknown>>>,
  rounds: number,
  onRun: (round: number, name: string, seconds: number) => void = () => undefined,
): Promise<Record<string, number[]>> {
  const names = Object.keys(cases);
  const timings: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < rounds; round++) {
    for (const name of round % 2 === 0 ? names : [...names].reverse()) {
      const started = performance.now();
      await cases[name]?.();
      const seconds = (performance.now() - started) / 1000;
      timings[name]?.push(seconds);
      onRun(round, name, seconds);
    }
  }
  return timings;
}

/** "0.12 s vs 0.10 s: 1.20x (target <= 1.5x)" */
export function ratioLine(
  label: string,
  ours: readonly number[],
  theirs: readonly number[],
  target: string,
): string {
  const a = median(ours);
  const b = median(theirs);
  return `${label.padEnd(28)} ${a.toFixed(3)} s vs ${b.toFixed(3)} s  ${(a / b).toFixed(2)}x  (target ${target})`;
}
