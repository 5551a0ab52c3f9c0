'use client';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(locale: string): Intl.DateTimeFormat {
  let formatter = formatters.get(locale);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'medium' });
    formatters.set(locale, formatter);
  }
  return formatter;
}

/** A `<time>` with the machine-readable instant and the locale's date and time. */
export function Timestamp({ iso, locale, className }: { iso: string; locale: string; className?: string }) {
  const date = new Date(iso);
  const text = Number.isNaN(date.getTime()) ? iso : formatterFor(locale).format(date);
  return (
    <time className={className} dateTime={iso}>
      {text}
    </time>
  );
}
