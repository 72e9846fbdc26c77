/**
 * @module core/bearer-token
 * What a file holding the MCP server's bearer token must hold: one word of at least 16
 * printable ASCII characters (surrounding whitespace and the final newline aside), since a
 * request sends it as `Authorization: Bearer <token>`. A token with a space or a line break
 * inside (`openssl rand -base64 64` wraps its output onto two lines) could never be sent, so
 * every request would be refused: the server refuses to start with it instead, and `doctor`
 * fails its `mcp token` line.
 */
import { ConfigError } from './errors.js';

/** The shortest token accepted. */
export const MIN_TOKEN_LENGTH = 16;

/** The token in `text`, the contents of `file`; a ConfigError naming the file when it is not one a request can send. */
export function bearerTokenIn(text: string, file: string): string {
  const token = text.trim();
  const fix = `write one token on one line: head -c 32 /dev/urandom | base64 > ${file}`;
  if (/\s/.test(token)) throw new ConfigError(`the token in ${file} contains whitespace (a space or a line break), so no request can send it: a token is one word`, fix);
  if (!/^[\x21-\x7e]*$/.test(token)) throw new ConfigError(`the token in ${file} holds a character other than printable ASCII, which an Authorization header cannot carry`, fix);
  if (token.length < MIN_TOKEN_LENGTH) throw new ConfigError(`token file ${file} holds no token of at least ${MIN_TOKEN_LENGTH} characters`, fix);
  return token;
}
