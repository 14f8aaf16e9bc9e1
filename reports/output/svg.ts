// Horizontal bar charts as inline SVG, drawn here on the server: the HTML page needs no
// script, no font download and no CDN to show them. One bar per label, longest first,
// with its value printed at the bar's end.
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Most bars one chart draws (the rest are summed into "other"). */
export const MAX_BARS = 20;

export function barChart(title: string, bars: Array<{ label: string; value: number }>): string {
  const sorted = [...bars].sort((a, b) => b.value - a.value || a.label.localeCompare(b.label));
  const shown = sorted.slice(0, MAX_BARS);
  if (sorted.length > MAX_BARS) shown.push({ label: `${sorted.length - MAX_BARS} other`, value: sorted.slice(MAX_BARS).reduce((sum, bar) => sum + bar.value, 0) });
  const max = Math.max(1, ...shown.map((bar) => bar.value));
  const [labelWidth, barWidth, rowHeight] = [220, 420, 22];
  const height = shown.length * rowHeight + 30;
  const rows = shown.map((bar, index) => {
    const y = 24 + index * rowHeight;
    const width = Math.max(bar.value > 0 ? 1 : 0, Math.round((bar.value / max) * barWidth));
    return `<text x="${labelWidth - 6}" y="${y + 14}" text-anchor="end">${escape(bar.label.slice(0, 34))}</text>`
      + `<rect x="${labelWidth}" y="${y + 3}" width="${width}" height="${rowHeight - 6}" fill="#3b6ea5"/>`
      + `<text x="${labelWidth + width + 4}" y="${y + 14}">${bar.value.toLocaleString('en-US')}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${labelWidth + barWidth + 90}" height="${height}" viewBox="0 0 ${labelWidth + barWidth + 90} ${height}" font-family="sans-serif" font-size="12">`
    + `<title>${escape(title)}</title><text x="0" y="14" font-weight="bold">${escape(title)}</text>${rows.join('')}</svg>`;
}
