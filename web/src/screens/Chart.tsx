// A small SVG line chart of battery and storage over time (no chart library: two polylines).
export interface Sample {
  t: string;
  battery?: number;
  storagePercent?: number;
}

const W = 640;
const H = 200;
const PAD = 30;

export function ShiftChart({ samples, from, to }: { samples: Sample[]; from: Date; to: Date }) {
  const span = Math.max(1, to.getTime() - from.getTime());
  const x = (t: string) => PAD + ((new Date(t).getTime() - from.getTime()) / span) * (W - 2 * PAD);
  const y = (v: number) => H - PAD - (v / 100) * (H - 2 * PAD);
  const line = (key: 'battery' | 'storagePercent') =>
    samples
      .filter((s) => typeof s[key] === 'number')
      .map((s) => `${x(s.t).toFixed(1)},${y(s[key]!).toFixed(1)}`)
      .join(' ');
  const last = samples[samples.length - 1];
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`Battery and storage over the shift; latest battery ${last?.battery ?? 'unknown'}%, storage ${last?.storagePercent === undefined ? 'unknown' : Math.round(last.storagePercent)}%`}
      >
        {[0, 25, 50, 75, 100].map((v) => (
          <g key={v}>
            <line x1={PAD} x2={W - PAD} y1={y(v)} y2={y(v)} className="grid" />
            <text x={4} y={y(v) + 4} className="axis">
              {v}%
            </text>
          </g>
        ))}
        <polyline points={line('battery')} className="battery" />
        <polyline points={line('storagePercent')} className="storage" />
      </svg>
      <figcaption>
        <span className="key battery">Battery</span> <span className="key storage">Storage used</span> from{' '}
        {from.toLocaleTimeString()} to {to.toLocaleTimeString()}
      </figcaption>
    </figure>
  );
}
