/**
 * Small dependency-free SVG charts. Each is an image with a <title> and <desc> for
 * screen readers plus a visually hidden data table, and has a fixed aspect ratio so
 * nothing moves when it renders.
 */
import { useId } from "react";
import { formatDay } from "./format";
import { VisuallyHidden } from "./visually-hidden";

export interface ChartPoint {
  /** A UTC day key ("2026-11-03") or any short label. */
  label: string;
  value: number | null;
}

export interface ChartProps {
  title: string;
  description: string;
  data: ChartPoint[];
  format: (value: number) => string;
  xLabel: string;
  yLabel: string;
  /** Upper bound of the y axis; defaults to a round number above the maximum. */
  yMax?: number;
  /** Whole-number data (counts): the axis stops at an even number so its middle tick is whole too. */
  integer?: boolean;
}

const W = 640;
const H = 220;
const PAD = { top: 16, right: 16, bottom: 44, left: 64 };
const PLOT_W = W - PAD.left - PAD.right;
const PLOT_H = H - PAD.top - PAD.bottom;
const INK = "#616161";
const GRID = "#e3e3e3";
const SERIES = "#2c6ecb";

/** 1, 2, 2.5 or 5 times a power of ten at or above the value. */
export function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/** An even whole number at or above the value (2, 4, 6, 8, 10, 20, 40 ...). */
export function niceIntegerMax(value: number): number {
  if (!(value > 2)) return 2;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [2, 4, 6, 8, 10]) if (step * power >= value) return step * power;
  return 20 * power;
}

function axisMax(props: ChartProps, values: number[]): number {
  if (props.yMax !== undefined) return props.yMax;
  const max = Math.max(0, ...values);
  return props.integer ? niceIntegerMax(max) : niceMax(max);
}

function labelOf(label: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(label) ? formatDay(label) : label;
}

function Axes({ data, yMax, format, xLabel, yLabel }: { data: ChartPoint[]; yMax: number; format: (v: number) => string; xLabel: string; yLabel: string }) {
  const ticks = [0, yMax / 2, yMax];
  const xTicks = data.length <= 1 ? [0] : [0, Math.floor((data.length - 1) / 2), data.length - 1];
  const xOf = (i: number) => PAD.left + (data.length <= 1 ? PLOT_W / 2 : (i * PLOT_W) / (data.length - 1));
  return (
    <g aria-hidden="true" fontSize="12" fill={INK}>
      {ticks.map((t) => {
        const y = PAD.top + PLOT_H - (t / yMax) * PLOT_H;
        return (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y} y2={y} stroke={GRID} />
            <text x={PAD.left - 8} y={y + 4} textAnchor="end">
              {format(t)}
            </text>
          </g>
        );
      })}
      {data.length > 0 &&
        xTicks.map((i) => (
          <text key={i} x={xOf(i)} y={PAD.top + PLOT_H + 18} textAnchor={i === 0 && data.length > 1 ? "start" : i === data.length - 1 && data.length > 1 ? "end" : "middle"}>
            {labelOf(data[i].label)}
          </text>
        ))}
      <text x={PAD.left + PLOT_W / 2} y={H - 6} textAnchor="middle">
        {xLabel}
      </text>
      <text transform={`translate(14 ${PAD.top + PLOT_H / 2}) rotate(-90)`} textAnchor="middle">
        {yLabel}
      </text>
    </g>
  );
}

function DataTable({ title, data, format, xLabel, yLabel }: Pick<ChartProps, "title" | "data" | "format" | "xLabel" | "yLabel">) {
  return (
    <VisuallyHidden>
      <table>
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{xLabel}</th>
            <th scope="col">{yLabel}</th>
          </tr>
        </thead>
        <tbody>
          {data.map((d) => (
            <tr key={d.label}>
              <th scope="row">{labelOf(d.label)}</th>
              <td>{d.value === null ? "no data" : format(d.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </VisuallyHidden>
  );
}

function Frame({ id, title, description, children }: { id: string; title: string; description: string; children: React.ReactNode }) {
  return (
    <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-labelledby={`${id}-title ${id}-desc`} style={{ display: "block", aspectRatio: `${W} / ${H}`, height: "auto" }}>
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{description}</desc>
      {children}
    </svg>
  );
}

export function BarChart(props: ChartProps) {
  const id = useId().replace(/:/g, "");
  const values = props.data.map((d) => d.value ?? 0);
  const yMax = axisMax(props, values);
  const slot = PLOT_W / Math.max(1, props.data.length);
  const barW = Math.max(1, slot * 0.7);
  return (
    <div style={{ position: "relative" }}>
      <Frame id={id} title={props.title} description={props.description}>
        <Axes data={props.data} yMax={yMax} format={props.format} xLabel={props.xLabel} yLabel={props.yLabel} />
        <g fill={SERIES} aria-hidden="true">
          {props.data.map((d, i) => {
            const h = ((d.value ?? 0) / yMax) * PLOT_H;
            return <rect key={d.label} x={PAD.left + i * slot + (slot - barW) / 2} y={PAD.top + PLOT_H - h} width={barW} height={h} rx={1} />;
          })}
        </g>
      </Frame>
      <DataTable title={props.title} data={props.data} format={props.format} xLabel={props.xLabel} yLabel={props.yLabel} />
    </div>
  );
}

/** A line; days without a value (null) leave a gap instead of pretending zero. */
export function LineChart(props: ChartProps) {
  const id = useId().replace(/:/g, "");
  const values = props.data.map((d) => d.value).filter((v): v is number => v !== null);
  const yMax = axisMax(props, values);
  const n = props.data.length;
  const xOf = (i: number) => PAD.left + (n <= 1 ? PLOT_W / 2 : (i * PLOT_W) / (n - 1));
  const yOf = (v: number) => PAD.top + PLOT_H - (v / yMax) * PLOT_H;
  const segments: string[] = [];
  let current = "";
  props.data.forEach((d, i) => {
    if (d.value === null) {
      if (current) segments.push(current);
      current = "";
      return;
    }
    current += `${current ? "L" : "M"}${xOf(i).toFixed(1)},${yOf(d.value).toFixed(1)}`;
  });
  if (current) segments.push(current);
  return (
    <div style={{ position: "relative" }}>
      <Frame id={id} title={props.title} description={props.description}>
        <Axes data={props.data} yMax={yMax} format={props.format} xLabel={props.xLabel} yLabel={props.yLabel} />
        <g aria-hidden="true">
          {segments.map((d) => (
            <path key={d} d={d} fill="none" stroke={SERIES} strokeWidth={2} />
          ))}
          {props.data.map((d, i) => (d.value === null ? null : <circle key={d.label} cx={xOf(i)} cy={yOf(d.value)} r={2.5} fill={SERIES} />))}
        </g>
      </Frame>
      <DataTable title={props.title} data={props.data} format={props.format} xLabel={props.xLabel} yLabel={props.yLabel} />
    </div>
  );
}
