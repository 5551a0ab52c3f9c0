export interface SseMessage {
  /** The event type (`event:` field), 'message' when absent. */
  event: string;
  data: string;
  /** The last event id seen on this stream so far (ids persist across messages). */
  lastEventId: string | null;
}

export interface SseParserHandlers {
  onMessage(message: SseMessage): void;
  /** Comment lines (heartbeats): proof the connection is alive. */
  onComment?(): void;
}

/**
 * An incremental parser of the text/event-stream format, as the HTML standard's
 * EventSource reads it: lines end with CRLF, LF or CR (a CR at the end of a chunk may
 * be followed by the LF in the next one), `data:` lines join with "\n", a blank line
 * dispatches, a line starting with ":" is a comment, one space after the colon is
 * dropped, and an `id` containing NUL is ignored.
 */
export function createSseParser(handlers: SseParserHandlers): { push(chunk: string): void } {
  let buffer = '';
  let first = true;
  let skipLf = false;
  let event = '';
  let data: string[] = [];
  let lastEventId: string | null = null;

  const line = (text: string) => {
    if (text === '') {
      if (data.length > 0) handlers.onMessage({ event: event || 'message', data: data.join('\n'), lastEventId });
      event = '';
      data = [];
      return;
    }
    if (text.startsWith(':')) return handlers.onComment?.();
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id' && !value.includes('\0')) lastEventId = value;
  };

  return {
    push(chunk) {
      if (first && chunk.length > 0) {
        first = false;
        if (chunk.startsWith('\uFEFF')) chunk = chunk.slice(1);
      }
      if (skipLf && chunk.startsWith('\n')) chunk = chunk.slice(1);
      skipLf = false;
      buffer += chunk;
      let start = 0;
      for (let i = 0; i < buffer.length; i += 1) {
        const c = buffer[i];
        if (c !== '\n' && c !== '\r') continue;
        line(buffer.slice(start, i));
        if (c === '\r') {
          if (i + 1 === buffer.length) skipLf = true;
          else if (buffer[i + 1] === '\n') i += 1;
        }
        start = i + 1;
      }
      buffer = buffer.slice(start);
    },
  };
}
