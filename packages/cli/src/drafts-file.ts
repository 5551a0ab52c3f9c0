import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { JobItem } from '@review-jobs/core';

/** Writes the drafts as JSON (an array of items) or CSV (chosen by the file extension). */
export async function writeDrafts(path: string, items: readonly JobItem[]): Promise<void> {
  const format = extname(path).toLowerCase();
  if (format === '.json') {
    await writeFile(path, `${JSON.stringify(items.map(toRecord), null, 2)}\n`, 'utf8');
    return;
  }
  if (format === '.csv') {
    // A BOM so Excel (what the admins open CSVs with) reads the Korean text as UTF-8.
    await writeFile(path, `\uFEFF${toCsv(items)}`, 'utf8');
    return;
  }
  throw new TypeError(`--out must end in .json or .csv, got "${path}"`);
}

function toRecord(item: JobItem) {
  return { index: item.index, status: item.status, text: item.text, attempts: item.attempts, error: item.error };
}

export function toCsv(items: readonly JobItem[]): string {
  const header = 'index,status,attempts,text,error';
  const rows = items.map((item) =>
    [item.index, item.status, item.attempts, item.text ?? '', item.error ?? ''].map(csvField).join(','),
  );
  return `${[header, ...rows].join('\r\n')}\r\n`;
}

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
