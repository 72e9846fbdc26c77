/**
 * @module services/telegram/sim/multipart
 * A lenient multipart/form-data parser, as tolerant as the Bot API server: header
 * names in any case, no space required after the colon, quoted or bare `name` and
 * `filename` parameters (grammY writes `filename=a.txt` unquoted, which the strict
 * WHATWG parser in `Response.formData` refuses). Binary-safe.
 */

/** One part: a field, or a file when it has a filename. */
export interface Part {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

/** Parses a multipart body with the boundary from its content type. */
export function parseMultipart(body: Buffer, contentType: string): Part[] {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) throw new Error('multipart body without a boundary');
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let pos = body.indexOf(delimiter);
  while (pos >= 0) {
    let start = pos + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    if (body.subarray(start, start + 2).toString() === '\r\n') start += 2;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    let end = next;
    if (body.subarray(end - 2, end).toString() === '\r\n') end -= 2;
    const headerEnd = body.indexOf('\r\n\r\n', start);
    if (headerEnd < 0 || headerEnd > end) throw new Error('multipart part without headers');
    const headers = body.subarray(start, headerEnd).toString('utf8').split('\r\n');
    const part: Part = { name: '', data: body.subarray(headerEnd + 4, end) };
    for (const line of headers) {
      const colon = line.indexOf(':');
      const key = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (key === 'content-type') part.contentType = value;
      if (key === 'content-disposition') {
        part.name = param(value, 'name') ?? '';
        const filename = param(value, 'filename');
        if (filename !== undefined) part.filename = filename;
      }
    }
    parts.push(part);
    pos = next;
  }
  return parts;
}

function param(header: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|;)\\s*${name}=(?:"([^"]*)"|([^;]*))`, 'i').exec(header);
  return m ? (m[1] ?? m[2]?.trim()) : undefined;
}
