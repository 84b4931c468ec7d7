/** A uPlot time-series chart of messages per second, one series per log. */
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

const COLORS = ["#2563eb", "#16a34a", "#dc2626", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777"];

/** Draws `series` (name → values, one per x) over `x` (epoch seconds). */
export function RateChart(props: { x: number[]; series: { name: string; values: number[] }[] }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!host.current) return;
    const plot = new uPlot(
      {
        width: host.current.clientWidth || 800,
        height: 220,
        series: [
          {},
          ...props.series.map((s, i) => ({
            label: s.name,
            stroke: COLORS[i % COLORS.length],
            width: 2,
            points: { show: false },
            value: (_u: uPlot, v: number | null) => (v === null ? "" : `${v.toFixed(2)}/s`),
          })),
        ],
        axes: [{}, { label: "messages/s", size: 60 }],
        scales: { y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
      },
      [props.x, ...props.series.map((s) => s.values)],
      host.current,
    );
    return () => plot.destroy();
  }, [JSON.stringify(props)]);
  return <div ref={host} class="chart" data-testid="rate-chart" />;
}
