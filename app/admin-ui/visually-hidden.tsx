import type { CSSProperties, ReactNode } from "react";

// Hidden from sight, still read by screen readers (the usual clip pattern).
const style: CSSProperties = {
  position: "absolute",
  width: 1,
  height: 1,
  padding: 0,
  margin: -1,
  overflow: "hidden",
  clip: "rect(0, 0, 0, 0)",
  whiteSpace: "nowrap",
  border: 0,
};

export function VisuallyHidden({ children }: { children: ReactNode }) {
  return <div style={style}>{children}</div>;
}
