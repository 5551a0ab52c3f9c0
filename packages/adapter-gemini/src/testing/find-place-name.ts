/**
 * Patterns that name the place in a review prompt, most specific first. The first is
 * core's default prompt ("당신은 {placeName}을(를) 방문한 고객입니다").
 */
const PATTERNS: readonly RegExp[] = [
  /당신은\s+(.+?)\s*(?:을\(를\)|을|를|에)\s*(?:방문|다녀)/,
  /(?:장소명?|가게|매장|상호명?|업체명?)\s*[:：]\s*([^\n,.]+)/,
  /place(?:\s*name)?\s*[:：]\s*([^\n,.]+)/i,
  /[「『“"]([^」』”"\n]{1,60})[」』”"]/,
  /visited\s+([^\n,.]+)/i,
  /([^\s,.]+)\s*(?:을\(를\)|을|를|에)\s*(?:방문|다녀)/,
];

/** The place name a prompt talks about, or undefined when none of the patterns match. */
export function findPlaceName(prompt: string): string | undefined {
  for (const pattern of PATTERNS) {
    const name = pattern.exec(prompt)?.[1]?.trim();
    if (name) return name;
  }
  return undefined;
}
