/** Edit distance (insert, delete, substitute, swap two neighbours), as commander measures typos. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** " (Did you mean x?)" for the closest choice within a typo's reach, else "". Dashes and underscores do not count. */
export function didYouMean(word: string, choices: readonly string[]): string {
  const plain = (s: string) => s.toLowerCase().replace(/[-_]/g, '');
  let best: { choice: string; d: number } | undefined;
  for (const choice of choices) {
    const d = distance(plain(word), plain(choice));
    if (d <= Math.max(1, Math.floor(choice.length / 3)) && (!best || d < best.d)) best = { choice, d };
  }
  return best ? ` (Did you mean ${best.choice}?)` : '';
}
