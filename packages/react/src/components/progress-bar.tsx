'use client';

interface ProgressBarProps {
  /** 0-100. */
  value: number;
  label: string;
  className: string;
  fillClassName: string;
}

/**
 * A div with role="progressbar" rather than `<progress>`: the fill is a plain element any
 * stylesheet can size and colour, and screen readers get the same semantics.
 */
export function ProgressBar({ value, label, className, fillClassName }: ProgressBarProps) {
  const clamped = Math.min(100, Math.max(0, value));
  return (
    <div
      className={className}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={clamped}
      aria-valuetext={`${clamped}%`}
    >
      <div className={fillClassName} style={{ width: `${clamped}%` }} />
    </div>
  );
}
