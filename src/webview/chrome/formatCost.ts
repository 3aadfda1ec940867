// A cost as people read it: "free", "$0.0031", "¥0.12". Small sums keep a few significant digits instead of
// rounding to zero, since a single answer often costs a fraction of a cent.
export function formatCost(cost: { amount: number; currency: string }): string {
  if (cost.amount === 0) return 'free';
  const digits = cost.amount >= 1 ? { maximumFractionDigits: 2 } : { maximumSignificantDigits: 2 };
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency: cost.currency, ...digits }).format(cost.amount);
  } catch {
    // Not an ISO currency code: the user's own label.
    return `${new Intl.NumberFormat('en-US', digits).format(cost.amount)} ${cost.currency}`;
  }
}

/** The cost with where its price came from when that was a preset's list price, not the user's own. */
export function costWithSource(cost: { amount: number; currency: string; presetChecked?: string | undefined }): string {
  return cost.presetChecked ? `${formatCost(cost)} (preset price, checked ${cost.presetChecked})` : formatCost(cost);
}
