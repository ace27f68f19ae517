// Progress as a bar with its percentage.

export function Bar({ pct, label }: { pct: number; label?: string }) {
  return (
    <span class="pbar" role="img" aria-label={label ?? `${pct} %`} title={label ?? `${pct} %`}>
      <span class="pbar-fill" style={{ width: `${Math.max(0, Math.min(100, pct))}%` }} />
      <span class="pbar-text">{pct} %</span>
    </span>
  );
}
