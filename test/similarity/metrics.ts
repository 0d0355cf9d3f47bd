// Clustering agreement: the adjusted Rand index (Hubert and Arabie, 1985) of two labelings of the same items.

function choose2(n: number): number {
  return (n * (n - 1)) / 2;
}

export function adjustedRandIndex(truth: string[], predicted: string[]): number {
  if (truth.length !== predicted.length) throw new Error('labelings differ in length');
  const n = truth.length;
  const table = new Map<string, number>();
  const rows = new Map<string, number>();
  const cols = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const key = `${truth[i]}\u0000${predicted[i]}`;
    table.set(key, (table.get(key) ?? 0) + 1);
    rows.set(truth[i]!, (rows.get(truth[i]!) ?? 0) + 1);
    cols.set(predicted[i]!, (cols.get(predicted[i]!) ?? 0) + 1);
  }
  let index = 0;
  for (const v of table.values()) index += choose2(v);
  let a = 0;
  for (const v of rows.values()) a += choose2(v);
  let b = 0;
  for (const v of cols.values()) b += choose2(v);
  const expected = (a * b) / choose2(n);
  const max = (a + b) / 2;
  return max === expected ? 1 : (index - expected) / (max - expected);
}
