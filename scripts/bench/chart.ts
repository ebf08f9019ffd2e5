/** Hand-written SVG line chart (log–log) of cold index time against file count: ours, find, Django. */

export interface Series {
  name: string;
  color: string;
  /** [file count, milliseconds]; null values are skipped. */
  points: Array<[number, number | null]>;
}

const WIDTH = 780;
const HEIGHT = 440;
const MARGIN = { left: 80, right: 210, top: 50, bottom: 60 };

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 1)} s`;
  return `${ms >= 10 ? ms.toFixed(0) : ms.toFixed(1)} ms`;
}

function formatCount(n: number): string {
  return n >= 1000 ? `${n / 1000}k` : String(n);
}

export function renderChart(series: Series[], title: string, subtitle: string): string {
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1]).filter((v): v is number => v !== null && v > 0));
  const xMin = Math.floor(Math.log10(Math.min(...xs)));
  const xMax = Math.ceil(Math.log10(Math.max(...xs)));
  const yMin = Math.floor(Math.log10(Math.min(...ys, 1)));
  const yMax = Math.ceil(Math.log10(Math.max(...ys, 10)));
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (v: number): number => MARGIN.left + ((Math.log10(v) - xMin) / Math.max(1, xMax - xMin)) * plotW;
  const y = (v: number): number => MARGIN.top + plotH - ((Math.log10(v) - yMin) / Math.max(1, yMax - yMin)) * plotH;

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="system-ui, sans-serif" font-size="12">`,
  );
  parts.push(`<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`);
  parts.push(`<text x="${MARGIN.left}" y="22" font-size="15" font-weight="bold">${escapeXml(title)}</text>`);
  parts.push(`<text x="${MARGIN.left}" y="40" fill="#555">${escapeXml(subtitle)}</text>`);
  for (let e = yMin; e <= yMax; e++) {
    const v = 10 ** e;
    parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y(v)}" y2="${y(v)}" stroke="#e3e3e3"/>`);
    parts.push(`<text x="${MARGIN.left - 8}" y="${y(v) + 4}" text-anchor="end" fill="#333">${formatMs(v)}</text>`);
  }
  for (let e = xMin; e <= xMax; e++) {
    const v = 10 ** e;
    parts.push(`<line x1="${x(v)}" x2="${x(v)}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#e3e3e3"/>`);
    parts.push(`<text x="${x(v)}" y="${MARGIN.top + plotH + 18}" text-anchor="middle" fill="#333">${formatCount(v)}</text>`);
  }
  parts.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`);
  parts.push(`<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 14}" text-anchor="middle">static files (log scale)</text>`);
  parts.push(
    `<text transform="translate(18 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">wall time, median (log scale)</text>`,
  );

  series.forEach((s, i) => {
    const pts = s.points.filter((p): p is [number, number] => p[1] !== null && p[1] > 0);
    if (pts.length > 1) {
      parts.push(
        `<polyline fill="none" stroke="${s.color}" stroke-width="2.5" points="${pts.map((p) => `${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join(' ')}"/>`,
      );
    }
    for (const [px, py] of pts) {
      parts.push(`<circle cx="${x(px).toFixed(1)}" cy="${y(py).toFixed(1)}" r="4" fill="${s.color}"/>`);
      // Alternate labels above and below the line so close series stay readable.
      const dy = i % 2 === 1 ? 16 : -8;
      parts.push(
        `<text x="${(x(px) + 7).toFixed(1)}" y="${(y(py) + dy).toFixed(1)}" fill="${s.color}" font-size="11">${formatMs(py)}</text>`,
      );
    }
    const ly = MARGIN.top + 14 + i * 22;
    const lx = MARGIN.left + plotW + 16;
    parts.push(`<line x1="${lx}" x2="${lx + 22}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2.5"/>`);
    parts.push(`<text x="${lx + 28}" y="${ly + 4}">${escapeXml(s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
