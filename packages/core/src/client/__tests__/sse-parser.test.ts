import { describe, expect, it } from 'vitest';
import { createSseParser, type SseMessage } from '../sse-parser.js';

function parse(chunks: string[]) {
  const messages: SseMessage[] = [];
  let comments = 0;
  const parser = createSseParser({ onMessage: (m) => messages.push(m), onComment: () => (comments += 1) });
  for (const chunk of chunks) parser.push(chunk);
  return { messages, comments };
}

describe('createSseParser', () => {
  it('parses events with ids, types and multi-line data', () => {
    const { messages } = parse(['id: a-1\nevent: progress\ndata: {"x":1}\n\n', 'data: line1\ndata: line2\n\n']);
    expect(messages).toEqual([
      { event: 'progress', data: '{"x":1}', lastEventId: 'a-1' },
      { event: 'message', data: 'line1\nline2', lastEventId: 'a-1' },
    ]);
  });

  it('handles CRLF and CR line ends, also split across chunks', () => {
    const { messages } = parse(['event: a\r', '\ndata: 1\r\n\r', '\nevent: b\rdata: 2\r\r']);
    expect(messages.map((m) => [m.event, m.data])).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
  });

  it('reassembles a message split in the middle of a field', () => {
    const { messages } = parse(['da', 'ta: {"long":"va', 'lue"}\n', '\n']);
    expect(messages).toEqual([{ event: 'message', data: '{"long":"value"}', lastEventId: null }]);
  });

  it('counts comments, ignores retry, a BOM, unknown fields and an id with NUL', () => {
    const { messages, comments } = parse(['\uFEFF: heartbeat\n\nretry: 2000\n\nid: ok\nfoo: bar\ndata:x\n\nid: bad\0\ndata: y\n\n']);
    expect(comments).toBe(1);
    expect(messages).toEqual([
      { event: 'message', data: 'x', lastEventId: 'ok' },
      { event: 'message', data: 'y', lastEventId: 'ok' },
    ]);
  });

  it('does not dispatch a message without data, nor an unterminated one', () => {
    const { messages } = parse(['event: empty\n\n', 'data: pending']);
    expect(messages).toEqual([]);
  });
});
